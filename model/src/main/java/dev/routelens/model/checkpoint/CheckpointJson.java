package dev.routelens.model.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Strict JSON for checkpoint headers and indexes: UTF-8 only, duplicate keys and trailing tokens refused. */
final class CheckpointJson {

    /** Jackson keeps the last of two equal keys unless told otherwise; a checkpoint must not be ambiguous. */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CheckpointJson() {
    }

    /** Parses {@code utf8} as one JSON object; {@code what} names the document in errors ("header"). */
    static JsonNode parseObject(byte[] utf8, Path file, String what) throws CheckpointException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(file, what + " is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            String reason = CheckpointException.firstLine(e.getOriginalMessage());
            if (reason.startsWith("Duplicate field")) {
                throw new CheckpointException(file, what + " has a duplicate key: "
                        + reason.substring("Duplicate field".length()).strip(), e);
            }
            if (reason.startsWith("Trailing token")) {
                reason = "trailing content after the JSON object";
            }
            throw new CheckpointException(file, what + " is not valid JSON: " + reason, e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file, what + " is not a JSON object");
        }
        return root;
    }
}
