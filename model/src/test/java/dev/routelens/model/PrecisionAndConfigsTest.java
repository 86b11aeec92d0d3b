package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.routelens.model.checkpoint.CheckpointException;
import dev.routelens.model.checkpoint.CheckpointExporter;
import dev.routelens.model.checkpoint.SafeDType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped configs, seeded random init, and the F16 path (run on the CPU here; the GPU uses it by default). */
class PrecisionAndConfigsTest {

    static Path configs() {
        Path p = Path.of("configs");
        return p.toFile().isDirectory() ? p : Path.of("model", "configs");
    }

    @Test
    void scidfmConfigHasThePublishedShape() throws IOException {
        MoeConfig c = MoeConfig.read(configs().resolve("scidfm.json"));
        assertEquals("SciDFM", c.modelType());
        assertEquals(List.of(26, 3200, 32, 32, 8640, 8, 2, 32196), List.of(c.numLayers(), c.hiddenSize(), c.numHeads(),
                c.numKvHeads(), c.intermediateSize(), c.numExperts(), c.topK(), c.vocabSize()));
        assertEquals(208, c.expertChoiceWidth());
        double billions = c.parameterCount() / 1e9;
        assertTrue(billions > 18 && billions < 19, "SciDFM has about 18B parameters, got " + billions);
        MoeConfig gqa = MoeConfig.read(configs().resolve("tiny-gqa.json"));
        assertEquals(4, gqa.kvGroups());
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        float[] a = RandomWeights.of(5).read("model.layers.0.block_sparse_moe.gate.weight", 8, 16);
        float[] b = RandomWeights.of(5).read("model.layers.0.block_sparse_moe.gate.weight", 8, 16);
        float[] c = RandomWeights.of(6).read("model.layers.0.block_sparse_moe.gate.weight", 8, 16);
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c));
        double sd = Math.sqrt(java.util.Arrays.stream(toDouble(a)).map(v -> v * v).average().orElse(0));
        assertEquals(0.02, sd, 0.006);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void f16ForwardAgreesWithF32WithinTheGpuTolerances(@TempDir Path dir) throws Exception {
        MoeConfig c = new MoeConfig("mixtral", 64, 64, 3, 4, 2, 96, 8, 2, 1e-6, 10000, 128, false, 1, 2);
        CheckpointExporter.write(dir, c, new RandomWeights(9, 0.1), SafeDType.BF16);
        Random r = new Random(4);
        int[] ids = new int[60];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(c.vocabSize());
        }
        GateCapture f32 = new GateCapture();
        GateCapture f16 = new GateCapture();
        try (MoeTransformer a = ModelLoader.load(dir, Device.cpu(), Precision.F32);
             MoeTransformer b = ModelLoader.load(dir, Device.cpu(), Precision.F16)) {
            a.forward(TokenBatch.of(ids), f32, true);
            b.forward(TokenBatch.of(ids), f16, true);
        }
        int agree = 0;
        int total = 0;
        double worst = 0;
        for (int l = 0; l < c.numLayers(); l++) {
            float[] g32 = f32.floats.get(SparseMoe.gate(l));
            float[] g16 = f16.floats.get(SparseMoe.gate(l));
            double scale = 0;
            for (float v : g32) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < g32.length; i++) {
                worst = Math.max(worst, Math.abs(g32[i] - g16[i]) / scale);
            }
            long[] t32 = f32.longs.get(SparseMoe.topk(l));
            long[] t16 = f16.longs.get(SparseMoe.topk(l));
            for (int t = 0; t < ids.length; t++) {
                long[] x = {t32[2 * t], t32[2 * t + 1]};
                long[] y = {t16[2 * t], t16[2 * t + 1]};
                java.util.Arrays.sort(x);
                java.util.Arrays.sort(y);
                agree += java.util.Arrays.equals(x, y) ? 1 : 0;
                total++;
            }
        }
        assertTrue(worst <= 2e-2, "gate logits max relative error " + worst);
        assertTrue(agree >= 0.95 * total, "top-2 agreement " + agree + "/" + total);
    }

    @Test
    void aWeightThatOverflowsF16IsRefusedNamingTheTensor(@TempDir Path dir) throws Exception {
        MoeConfig c = new MoeConfig("mixtral", 32, 16, 1, 2, 2, 16, 4, 2, 1e-6, 10000, 32, false, 1, 2);
        String hot = "model.layers.0.block_sparse_moe.experts.2.w2.weight";
        WeightSource big = new WeightSource() {
            @Override
            public float[] read(String name, long... shape) {
                float[] v = RandomWeights.of(1).read(name, shape);
                if (name.equals(hot)) {
                    v[3] = 1e5f; // fits BF16, overflows F16 (max 65504)
                }
                return v;
            }

            @Override
            public String describe() {
                return "test";
            }
        };
        CheckpointExporter.write(dir, c, big, SafeDType.BF16);
        try (MoeTransformer ok = ModelLoader.load(dir, Device.cpu(), Precision.F32)) {
            assertEquals(c, ok.config());
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelLoader.load(dir, Device.cpu(), Precision.F16));
        assertTrue(e.getMessage().contains(hot), e.getMessage());
    }
}
