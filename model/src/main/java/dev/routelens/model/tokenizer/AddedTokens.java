package dev.routelens.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * HF added tokens beside a SentencePiece model: {@code added_tokens.json} ({@code {"[PAD]": 32191}}) and
 * the {@code added_tokens_decoder} of {@code tokenizer_config.json} ({@code {"32191": {"content": "[PAD]"}}}).
 */
final class AddedTokens {
    static final String ADDED_TOKENS_FILE = "added_tokens.json";
    static final String TOKENIZER_CONFIG_FILE = "tokenizer_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AddedTokens() {
    }

    /** Id to token from both files (they must agree); empty when neither exists. */
    static SortedMap<Integer, String> read(Path modelDir) throws IOException {
        SortedMap<Integer, String> tokens = new TreeMap<>();
        Path added = modelDir.resolve(ADDED_TOKENS_FILE);
        if (Files.isRegularFile(added)) {
            JsonNode root = readJson(added);
            if (!root.isObject()) {
                throw new IllegalArgumentException(added + ": expected an object of token -> id");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().canConvertToInt() || !entry.getValue().isIntegralNumber()) {
                    throw new IllegalArgumentException(added + ": id of '" + entry.getKey() + "' is not an integer");
                }
                put(tokens, entry.getValue().intValue(), entry.getKey(), added);
            }
        }
        Path config = modelDir.resolve(TOKENIZER_CONFIG_FILE);
        if (Files.isRegularFile(config)) {
            JsonNode decoder = readJson(config).get("added_tokens_decoder");
            if (decoder != null && decoder.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = decoder.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    JsonNode content = entry.getValue().get("content");
                    int id;
                    try {
                        id = Integer.parseInt(entry.getKey());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(config + ": added_tokens_decoder key '" + entry.getKey()
                                + "' is not an id");
                    }
                    if (content == null || !content.isTextual()) {
                        throw new IllegalArgumentException(config + ": added token " + id + " has no content");
                    }
                    put(tokens, id, content.textValue(), config);
                }
            }
        }
        return tokens;
    }

    /** {@code tokenizer_config.json} of a model directory; an empty object when there is none. */
    static JsonNode readConfig(Path modelDir) throws IOException {
        Path config = modelDir.resolve(TOKENIZER_CONFIG_FILE);
        return Files.isRegularFile(config) ? readJson(config) : JSON.createObjectNode();
    }

    private static void put(SortedMap<Integer, String> tokens, int id, String token, Path file) {
        if (id < 0) {
            throw new IllegalArgumentException(file + ": added token '" + token + "' has negative id " + id);
        }
        String before = tokens.putIfAbsent(id, token);
        if (before != null && !before.equals(token)) {
            throw new IllegalArgumentException(file + ": id " + id + " is '" + token + "' here but '" + before
                    + "' elsewhere");
        }
    }

    private static JsonNode readJson(Path file) throws IOException {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")",
                    e);
        }
    }
}
