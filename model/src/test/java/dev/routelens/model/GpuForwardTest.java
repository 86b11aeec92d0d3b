package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.routelens.model.nano.NanoModel;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * F16 on the GPU against the F32 CPU forward. Skipped, with the reason printed, where DJL sees no
 * GPU (as in CI). On a GPU machine: {@code mvn -Pcuda -pl model -am test -Dgroups=gpu -Dtest=GpuForwardTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("gpu")
class GpuForwardTest {

    private static void requireGpu() {
        int gpus = Engine.getInstance().getGpuCount();
        if (gpus == 0) {
            System.out.println("GpuForwardTest skipped: DJL sees no GPU (engine " + Engine.getInstance().getVersion() + ")");
        }
        assumeTrue(gpus > 0, "DJL sees no GPU");
    }

    private static void compare(MoeTransformer cpu, MoeTransformer gpu, int vocab, String what) {
        Random r = new Random(2);
        int[] ids = new int[256];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(vocab);
        }
        GateCapture a = new GateCapture();
        GateCapture b = new GateCapture();
        cpu.forward(TokenBatch.of(ids), a, false);
        gpu.forward(TokenBatch.of(ids), b, false);
        int e = cpu.config().numExperts();
        double worst = 0;
        double worstChoice = 0;
        long agree = 0;
        long total = 0;
        for (int l = 0; l < cpu.config().numLayers(); l++) {
            float[] g32 = a.floats.get(SparseMoe.gate(l));
            float[] g16 = b.floats.get(SparseMoe.gate(l));
            double scale = 0;
            double[] s32 = new double[e];
            double[] s16 = new double[e];
            for (int i = 0; i < g32.length; i++) {
                scale = Math.max(scale, Math.abs(g32[i]));
                s32[i % e] += g32[i];
                s16[i % e] += g16[i];
            }
            for (int i = 0; i < g32.length; i++) {
                worst = Math.max(worst, Math.abs(g32[i] - g16[i]) / scale);
            }
            double[] p32 = softmax(s32);
            double[] p16 = softmax(s16);
            for (int j = 0; j < e; j++) {
                worstChoice = Math.max(worstChoice, Math.abs(p32[j] - p16[j]));
            }
            long[] t32 = a.longs.get(SparseMoe.topk(l));
            long[] t16 = b.longs.get(SparseMoe.topk(l));
            int k = cpu.config().topK();
            for (int t = 0; t < ids.length; t++) {
                long[] x = java.util.Arrays.copyOfRange(t32, t * k, (t + 1) * k);
                long[] y = java.util.Arrays.copyOfRange(t16, t * k, (t + 1) * k);
                java.util.Arrays.sort(x);
                java.util.Arrays.sort(y);
                agree += java.util.Arrays.equals(x, y) ? 1 : 0;
                total++;
            }
        }
        assertTrue(worst <= 2e-2, what + ": gate logits max relative error " + worst);
        assertTrue(agree >= 0.99 * total, what + ": top-2 agreement " + agree + "/" + total);
        assertTrue(worstChoice <= 1e-3, what + ": E_T entries differ by " + worstChoice);
    }

    private static double[] softmax(double[] s) {
        double max = java.util.Arrays.stream(s).max().orElse(0);
        double z = 0;
        double[] p = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            p[i] = Math.exp(s[i] - max);
            z += p[i];
        }
        for (int i = 0; i < s.length; i++) {
            p[i] /= z;
        }
        return p;
    }

    @Test
    void embeddedDefaultF16OnGpuMatchesF32OnCpu() throws Exception {
        requireGpu();
        Path nano = NanoModel.locate().orElseThrow();
        try (MoeTransformer cpu = ModelLoader.load(nano, Device.cpu(), Precision.F32);
             MoeTransformer gpu = ModelLoader.load(nano, Device.gpu(), Precision.F16)) {
            compare(cpu, gpu, cpu.config().vocabSize(), "SciDFM-nano");
        }
    }

    @Test
    void randomInitF16OnGpuMatchesF32OnCpu() throws Exception {
        requireGpu();
        MoeConfig c = new MoeConfig("mixtral", 4096, 256, 4, 8, 2, 512, 8, 2, 1e-5, 1e6, 2048, false, 1, 2);
        try (MoeTransformer cpu = MoeTransformer.create(c, RandomWeights.of(3), Device.cpu(), Precision.F32);
             MoeTransformer gpu = MoeTransformer.create(c, RandomWeights.of(3), Device.gpu(), Precision.F16)) {
            compare(cpu, gpu, c.vocabSize(), "random-init GQA");
        }
    }
}
