package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json with a key given twice, or text after the object, is refused instead of read as its last value. */
class ConfigJsonStrictTest {
    static final String TINY = "{\"model_type\": \"mixtral\", \"vocab_size\": 64, \"hidden_size\": 16, \"num_hidden_layers\": 2,"
            + " \"num_attention_heads\": 2, \"num_key_value_heads\": 1, \"intermediate_size\": 8, \"num_local_experts\": 4,"
            + " \"num_experts_per_tok\": 2, \"max_position_embeddings\": 64, \"rms_norm_eps\": 1e-5, \"rope_theta\": 10000.0";

    @Test
    void duplicateKeysAndTrailingContentAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        assertEquals(2, MoeConfig.read(Files.writeString(dir.resolve("ok.json"), TINY + "}")).numLayers());
        Path twice = Files.writeString(dir.resolve("twice.json"), TINY + ", \"num_hidden_layers\": 3}");
        IOException dup = assertThrows(IOException.class, () -> MoeConfig.read(twice));
        assertTrue(dup.getMessage().startsWith(twice + ": not valid JSON (Duplicate field 'num_hidden_layers'"), dup.getMessage());
        Path trailing = Files.writeString(dir.resolve("trailing.json"), TINY + "} {\"num_hidden_layers\": 3}");
        IOException more = assertThrows(IOException.class, () -> MoeConfig.read(trailing));
        assertTrue(more.getMessage().startsWith(trailing + ": not valid JSON (Trailing token"), more.getMessage());
    }
}
