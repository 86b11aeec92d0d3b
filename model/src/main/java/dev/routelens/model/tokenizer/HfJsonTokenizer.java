package dev.routelens.model.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.core.InputKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HF {@code tokenizer.json} through DJL's HuggingFaceTokenizer, loaded offline from the file.
 *
 * <p>Encoding runs without the file's post-processor (no special tokens added); the BOS, when the file's
 * convention adds one ({@link HfBosConvention}: Llama-style templates do, Qwen's ByteLevel and OLMoE's
 * GPTNeoXTokenizer do not), is put first here, and no EOS is added whatever the template says. EOS and
 * padding come from {@code eos_token}/{@code pad_token} in {@code tokenizer_config.json}, EOS else from a
 * piece named {@code </s>}; decoding drops them, the BOS put first and the declared {@code bos_token}. The
 * id-to-token table is read from the JSON (model vocabulary plus {@code added_tokens}) so ids are
 * bounds-checked in Java.
 */
public final class HfJsonTokenizer implements Tokenizer {

    /** File name in a model directory. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path tokenizerFile;
    private final String[] tokens; // [V]
    private final BosPolicy bos;
    private final int declaredBosId; // bos_token of tokenizer_config.json (else <s>), -1 when none
    private final int eosId;
    private final int padId; // -1 when none
    private final ScienceEncoder science;
    private final HuggingFaceTokenizer hf;

    private HfJsonTokenizer(Path tokenizerFile, String[] tokens, Map<String, Integer> ids, BosPolicy bos,
            int declaredBosId, int eosId, int padId, ScienceVocabulary vocabulary, HuggingFaceTokenizer hf) {
        this.tokenizerFile = tokenizerFile;
        this.tokens = tokens;
        this.bos = bos;
        this.declaredBosId = declaredBosId;
        this.eosId = eosId;
        this.padId = padId;
        this.science = new ScienceEncoder(vocabulary, ids, bos, tokenizerFile.toString());
        this.hf = hf;
    }

    /** Loads {@code tokenizer.json}, {@code tokenizer_config.json} and {@code routelens_tokenizer.json}. */
    public static HfJsonTokenizer load(Path modelDir) throws IOException {
        Path file = modelDir.resolve(TOKENIZER_FILE);
        JsonNode root = readJson(file);
        Map<String, Integer> ids = new HashMap<>();
        TreeMap<Integer, String> byId = new TreeMap<>();
        JsonNode model = root.path("model");
        JsonNode vocab = model.get("vocab");
        if (vocab != null && vocab.isObject()) { // BPE, WordPiece, WordLevel: token -> id
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isIntegralNumber()) {
                    throw new IllegalArgumentException(file + ": vocab id of '" + entry.getKey() + "' is not an integer");
                }
                put(file, ids, byId, entry.getKey(), entry.getValue().intValue());
            }
        } else if (vocab != null && vocab.isArray()) { // Unigram: [[piece, score], ...]
            for (int id = 0; id < vocab.size(); id++) {
                JsonNode piece = vocab.get(id).path(0);
                if (!piece.isTextual()) {
                    throw new IllegalArgumentException(file + ": vocab entry " + id + " has no piece string");
                }
                put(file, ids, byId, piece.textValue(), id);
            }
        } else {
            throw new IllegalArgumentException(file + ": model.vocab is missing");
        }
        for (JsonNode added : root.path("added_tokens")) {
            JsonNode content = added.get("content");
            JsonNode id = added.get("id");
            if (content == null || !content.isTextual() || id == null || !id.isIntegralNumber()) {
                throw new IllegalArgumentException(file + ": an added_tokens entry lacks content or id");
            }
            String known = byId.get(id.intValue());
            if (known != null && known.equals(content.textValue())) {
                continue;
            }
            put(file, ids, byId, content.textValue(), id.intValue());
        }
        if (byId.isEmpty() || byId.firstKey() != 0 || byId.lastKey() != byId.size() - 1) {
            throw new IllegalArgumentException(file + ": token ids are not contiguous from 0 (" + byId.size()
                    + " tokens, largest id " + (byId.isEmpty() ? -1 : byId.lastKey()) + ")");
        }
        String[] tokens = byId.values().toArray(String[]::new);

        JsonNode config = AddedTokens.readConfig(modelDir);
        BosPolicy bos = HfBosConvention.read(file, root, config, tokens);
        int declaredBosId = specialId(file, config, "bos_token", "<s>", ids, false);
        int eosId = specialId(file, config, "eos_token", "</s>", ids, true);
        int padId = specialId(file, config, "pad_token", null, ids, false);
        ScienceVocabulary vocabulary = ScienceVocabulary.read(modelDir);
        HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder()
                .optTokenizerPath(file)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .optPadding(false)
                .build();
        return new HfJsonTokenizer(file, tokens, ids, bos, declaredBosId, eosId, padId, vocabulary, hf);
    }

    private static void put(Path file, Map<String, Integer> ids, TreeMap<Integer, String> byId, String token,
            int id) {
        if (id < 0) {
            throw new IllegalArgumentException(file + ": token '" + token + "' has negative id " + id);
        }
        String before = byId.put(id, token);
        if (before != null) {
            throw new IllegalArgumentException(file + ": id " + id + " is both '" + before + "' and '" + token + "'");
        }
        ids.putIfAbsent(token, id);
    }

    /** The id of a special token named in tokenizer_config.json (a string or {content: ...}), else a default. */
    private static int specialId(Path file, JsonNode config, String key, String fallback, Map<String, Integer> ids,
            boolean required) {
        JsonNode node = config.get(key);
        String name = node == null || node.isNull() ? fallback
                : node.isTextual() ? node.textValue() : node.path("content").asText(null);
        Integer id = name == null ? null : ids.get(name);
        if (id == null && required) {
            throw new IllegalArgumentException(file + ": no " + key + (name == null ? "" : " '" + name + "'")
                    + " in the vocabulary; set " + key + " in " + AddedTokens.TOKENIZER_CONFIG_FILE);
        }
        return id == null ? -1 : id;
    }

    private static JsonNode readJson(Path file) throws IOException {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")",
                    e);
        }
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public BosPolicy bos() {
        return bos;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public ScienceVocabulary scienceVocabulary() {
        return science.vocabulary();
    }

    @Override
    public int[] encode(String text, InputKind kind) {
        return science.encode(text, kind, this::encodeProse);
    }

    private int[] encodeProse(String text) {
        Encoding encoding = hf.encode(text, false, false);
        long[] pieces = encoding.getIds(); // [T - b]
        int[] prefix = bos.prefix(); // [b], b = 0 or 1
        int[] ids = new int[prefix.length + pieces.length]; // [T]
        System.arraycopy(prefix, 0, ids, 0, prefix.length);
        for (int i = 0; i < pieces.length; i++) {
            if (pieces[i] < 0 || pieces[i] >= tokens.length) {
                throw new IllegalStateException(tokenizerFile + ": tokenizer returned id " + pieces[i]
                        + " outside [0, " + tokens.length + ")");
            }
            ids[prefix.length + i] = (int) pieces[i];
        }
        return ids;
    }

    @Override
    public String token(int id) {
        checkId(id);
        return tokens[id];
    }

    @Override
    public String decode(int[] ids) {
        for (int id : ids) {
            checkId(id);
        }
        long[] kept = Arrays.stream(ids)
                .filter(id -> id != bos.id() && id != declaredBosId && id != eosId && id != padId)
                .asLongStream()
                .toArray(); // [T']
        return kept.length == 0 ? "" : hf.decode(kept, false);
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException(tokenizerFile + ": token id " + id + " is out of range [0, "
                    + tokens.length + ")");
        }
    }

    @Override
    public void close() {
        hf.close();
    }

    @Override
    public String toString() {
        return "HfJsonTokenizer(" + tokenizerFile + ", " + tokens.length + " ids)";
    }
}
