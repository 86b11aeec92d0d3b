package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A pass resumed from a cached residual equals the full pass it was captured from. */
class ResumeFromResidualTest {
    static final MoeConfig CONFIG = ForwardMatchesReferenceTest.tiny(3, 4, 2, 8, false);

    /** Captures every residual site and top-k ids; records the order sites are visited in. */
    static final class Recorder implements ForwardHooks {
        final Map<String, float[]> residuals = new HashMap<>();
        final Map<String, long[]> topk = new HashMap<>();
        final List<String> visited = new java.util.ArrayList<>();

        @Override
        public boolean wants(String name) {
            int l = DecoderLayer.layerOf(name);
            return List.of(DecoderLayer.residPre(l), DecoderLayer.residMid(l), DecoderLayer.residPost(l),
                    SparseMoe.topk(l), DecoderLayer.attnOut(l)).contains(name);
        }

        @Override
        public NDArray apply(HookSite site, NDArray tensor) {
            visited.add(site.name());
            if (site.name().equals(SparseMoe.topk(site.layer()))) {
                topk.put(site.name(), tensor.toLongArray());
            } else {
                residuals.put(site.name(), tensor.toFloatArray());
            }
            return null;
        }
    }

    @Test
    void resumingAtResidPreOrResidMidEqualsTheFullPass() throws Exception {
        Random r = new Random(11);
        TokenBatch batch = new TokenBatch(List.of(ForwardMatchesReferenceTest.randomDoc(r, 12, CONFIG.vocabSize()),
                ForwardMatchesReferenceTest.randomDoc(r, 5, CONFIG.vocabSize())));
        try (MoeTransformer model = MoeTransformer.create(CONFIG, new RandomWeights(9, 0.3), Device.cpu(), Precision.F32)) {
            Recorder full = new Recorder();
            ForwardResult expected = model.forward(batch, full, true);
            for (int l = 0; l < CONFIG.numLayers(); l++) {
                for (ResumePoint at : List.of(ResumePoint.residPre(l), ResumePoint.residMid(l))) {
                    Recorder resumed = new Recorder();
                    ForwardResult got = model.forwardFrom(at, full.residuals.get(at.hookName()), batch, resumed, true);
                    for (int b = 0; b < batch.size(); b++) {
                        assertEquals(expected.nllSum()[b], got.nllSum()[b], 1e-4, at.hookName() + ": NLL of doc " + b);
                        assertEquals(expected.nllCount()[b], got.nllCount()[b]);
                    }
                    assertEquals(at.hookName(), resumed.visited.get(0), "the resume site is visited first");
                    assertTrue(at.afterAttention() != resumed.visited.contains(DecoderLayer.attnOut(l)),
                            at.hookName() + ": layer " + l + "'s attention runs only when resuming before it");
                    for (int k = l; k < CONFIG.numLayers(); k++) {
                        String name = SparseMoe.topk(k);
                        assertArrayEquals(full.topk.get(name), resumed.topk.get(name), at.hookName() + ": " + name);
                    }
                    assertArrayEquals(full.residuals.get(DecoderLayer.residPost(CONFIG.numLayers() - 1)),
                            resumed.residuals.get(DecoderLayer.residPost(CONFIG.numLayers() - 1)), 1e-5f,
                            at.hookName() + ": final residual");
                }
            }
        }
    }

    @Test
    void badResumePointsAreRefusedNamingTheSite() throws Exception {
        TokenBatch batch = TokenBatch.of(new int[] {1, 2, 3});
        try (MoeTransformer model = MoeTransformer.create(CONFIG, new RandomWeights(9, 0.3), Device.cpu(), Precision.F32)) {
            float[] residual = new float[3 * CONFIG.hiddenSize()];
            IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
                    () -> model.forwardFrom(ResumePoint.residMid(CONFIG.numLayers()), residual, batch, ForwardHooks.NONE, true));
            assertTrue(past.getMessage().contains(DecoderLayer.residMid(3)), past.getMessage());
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> model.forwardFrom(ResumePoint.residMid(1), new float[5], batch, ForwardHooks.NONE, true));
            assertTrue(shape.getMessage().contains(DecoderLayer.residMid(1)) && shape.getMessage().contains("5 values"),
                    shape.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ResumePoint.residPre(-1));
        }
    }
}
