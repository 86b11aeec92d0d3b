package dev.routelens.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.routelens.probe.ActivationCache;
import dev.routelens.probe.CapturedTensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jetbrains.bio.npy.NpzFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A probe capture written as .npz reads back, with the npy library, as the arrays captured, in their shapes. */
class CaptureNpzTest {
    @Test
    void captureReadsBackWithItsShapes(@TempDir Path dir) throws Exception {
        float[] gate = {0.5f, -1.25f, 3f, 0f, 2f, -0.5f}; // [T=3, E=2]
        long[] topk = {1, 0, 1}; // [T=3, k=1]
        Map<String, CapturedTensor> doc = new LinkedHashMap<>();
        doc.put("layers.2.moe.gate", new CapturedTensor("layers.2.moe.gate", new long[] {3, 2}, gate, null, null));
        doc.put("layers.2.moe.topk", new CapturedTensor("layers.2.moe.topk", new long[] {3, 1}, null, topk, null));
        Path file = CaptureNpz.beside(dir.resolve("probe.json"));
        assertEquals(dir.resolve("probe.npz"), file);
        CaptureNpz.write(file, new ActivationCache(List.of(doc), null), 0, new int[] {7, 8, 9});
        try (NpzFile.Reader npz = NpzFile.read(file)) {
            assertArrayEquals(new int[] {7, 8, 9}, npz.get("token_ids", 1 << 18).asIntArray());
            assertArrayEquals(new int[] {3, 2}, npz.get("layers.2.moe.gate", 1 << 18).getShape());
            assertArrayEquals(gate, npz.get("layers.2.moe.gate", 1 << 18).asFloatArray(), 0f);
            assertArrayEquals(new int[] {3, 1}, npz.get("layers.2.moe.topk", 1 << 18).getShape());
            assertArrayEquals(new int[] {1, 0, 1}, npz.get("layers.2.moe.topk", 1 << 18).asIntArray());
        }
    }

    @Test
    void aShapeThatDoesNotFitItsDataIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NpzOut().doubles("x", new double[5], 2, 3));
        assertFalse(new NpzOut().asciiStrings("labels", List.of("physique", "chimie organique", "Ω")));
    }
}
