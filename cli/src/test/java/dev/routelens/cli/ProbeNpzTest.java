package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.jetbrains.bio.npy.NpzFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** probe's FILE.npz holds the same token ids and gate logits as its FILE.json, in [T, E] arrays. */
class ProbeNpzTest {
    @Test
    void npzBesideTheJsonHoldsTheSameCapture(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("p.json");
        CliRun run = CliRun.of("probe", "--text", "Enzymes lower activation energy.", "--out", out.toString(),
                "--device", "cpu", "--threads", "1");
        assertEquals(0, run.exit(), run.err());
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        int[] ids = new ObjectMapper().convertValue(json.get("token_ids"), int[].class);
        float[][][] gates = new ObjectMapper().convertValue(json.get("gate_logits"), float[][][].class); // [L][T][E]
        try (NpzFile.Reader npz = NpzFile.read(dir.resolve("p.npz"))) {
            assertArrayEquals(ids, npz.get("token_ids", 1 << 20).asIntArray());
            var gate3 = npz.get("layers.3.moe.gate", 1 << 20);
            assertArrayEquals(new int[] {ids.length, gates[3][0].length}, gate3.getShape());
            float[] flat = gate3.asFloatArray(); // [T*E]
            for (int t = 0; t < ids.length; t++) {
                for (int e = 0; e < gates[3][t].length; e++) {
                    assertEquals(gates[3][t][e], flat[t * gates[3][t].length + e], 0f, "token " + t + " expert " + e);
                }
            }
        }
    }
}
