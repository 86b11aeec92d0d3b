package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The DJL forward pass against the independent float64 reference, on tiny random models. */
class ForwardMatchesReferenceTest {

    static MoeConfig tiny(int layers, int heads, int kvHeads, int experts, boolean tied) {
        return new MoeConfig("mixtral", 61, 32, layers, heads, kvHeads, 40, experts, 2, 1e-6, 10000, 128, tied, 1, 2);
    }

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("3 layers, 8 experts", tiny(3, 4, 4, 8, false)),
                Arguments.of("grouped KV heads", tiny(2, 4, 2, 4, false)),
                Arguments.of("tied embeddings, SciDFM type", new MoeConfig("SciDFM", 61, 32, 2, 2, 1, 24, 8, 2, 1e-5, 500,
                        64, true, 1, 2)));
    }

    static int[] randomDoc(Random r, int length, int vocab) {
        int[] ids = new int[length];
        ids[0] = 1;
        for (int i = 1; i < length; i++) {
            ids[i] = r.nextInt(vocab);
        }
        return ids;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void gateLogitsTopkAndNllMatchReference(String label, MoeConfig config) throws Exception {
        RandomWeights weights = new RandomWeights(7, 0.3);
        ReferenceMoe reference = new ReferenceMoe(config, weights);
        Random r = new Random(11);
        List<int[]> docs = List.of(randomDoc(r, 13, config.vocabSize()), randomDoc(r, 5, config.vocabSize()),
                randomDoc(r, 21, config.vocabSize()));
        try (MoeTransformer model = MoeTransformer.create(config, weights, Device.cpu(), Precision.F32)) {
            GateCapture capture = new GateCapture();
            TokenBatch batch = new TokenBatch(docs);
            ForwardResult result = model.forward(batch, capture, true);
            int e = config.numExperts();
            int comparedTopk = 0;
            for (int b = 0; b < docs.size(); b++) {
                ReferenceMoe.Output ref = reference.run(docs.get(b));
                int offset = batch.offset(b);
                for (int l = 0; l < config.numLayers(); l++) {
                    float[] gate = capture.floats.get(SparseMoe.gate(l));
                    long[] topk = capture.longs.get(SparseMoe.topk(l));
                    for (int t = 0; t < docs.get(b).length; t++) {
                        double[] expected = ref.gateLogits()[l][t];
                        double scale = Arrays.stream(expected).map(Math::abs).max().orElse(1);
                        for (int j = 0; j < e; j++) {
                            double got = gate[(offset + t) * e + j];
                            assertEquals(expected[j], got, 1e-5 * scale,
                                    label + ": gate logit doc " + b + " layer " + l + " token " + t + " expert " + j);
                        }
                        double[] sorted = ReferenceMath.softmax(expected);
                        double[] logitsSorted = expected.clone();
                        Arrays.sort(logitsSorted);
                        if (logitsSorted[e - 2] - logitsSorted[e - 3] > 1e-4) {
                            int[] want = ref.topk()[l][t].clone();
                            int[] got = {(int) topk[(offset + t) * 2], (int) topk[(offset + t) * 2 + 1]};
                            Arrays.sort(want);
                            Arrays.sort(got);
                            assertArrayEquals(want, got, label + ": top-2 set, layer " + l + " token " + t);
                            comparedTopk++;
                        }
                        assertTrue(sorted.length == e);
                    }
                }
                assertEquals(ref.meanNll(), result.meanNll(b), 1e-4, label + ": mean NLL of document " + b);
            }
            assertTrue(comparedTopk > 20, "too few tokens with a clear top-2 to compare: " + comparedTopk);
        }
    }

    @org.junit.jupiter.api.Test
    void nllFromTheChunkedHeadMatchesReferenceAndTheWholeLogits() throws Exception {
        // 32,768 tokens of vocabulary: the head runs in 64-row chunks, so 150 tokens span three.
        MoeConfig config = new MoeConfig("mixtral", 32768, 16, 1, 2, 2, 24, 4, 2, 1e-6, 10000, 256, false, 1, 2);
        RandomWeights weights = new RandomWeights(13, 0.3);
        ReferenceMoe reference = new ReferenceMoe(config, weights);
        Random r = new Random(17);
        List<int[]> docs = List.of(randomDoc(r, 70, config.vocabSize()), randomDoc(r, 1, config.vocabSize()),
                randomDoc(r, 79, config.vocabSize()));
        try (MoeTransformer model = MoeTransformer.create(config, weights, Device.cpu(), Precision.F32)) {
            TokenBatch batch = new TokenBatch(docs);
            ForwardResult chunked = model.forward(batch, ForwardHooks.NONE, true);
            ForwardHooks wantsLogits = new ForwardHooks() {
                @Override
                public boolean wants(String name) {
                    return name.equals("logits");
                }

                @Override
                public ai.djl.ndarray.NDArray apply(HookSite site, ai.djl.ndarray.NDArray tensor) {
                    return null;
                }
            };
            ForwardResult whole = model.forward(batch, wantsLogits, true);
            for (int b = 0; b < docs.size(); b++) {
                assertEquals(docs.get(b).length - 1, chunked.nllCount()[b], "predicted tokens of document " + b);
                assertEquals(whole.nllSum()[b], chunked.nllSum()[b], 1e-4, "chunked vs whole-logits NLL, document " + b);
                if (docs.get(b).length > 1) {
                    assertEquals(reference.run(docs.get(b)).meanNll(), chunked.meanNll(b), 1e-4, "mean NLL of document " + b);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void batchedEqualsOneAtATimeAndDenseEqualsSparse(String label, MoeConfig config) throws Exception {
        Random r = new Random(5);
        List<int[]> docs = List.of(randomDoc(r, 9, config.vocabSize()), randomDoc(r, 17, config.vocabSize()),
                randomDoc(r, 2, config.vocabSize()));
        try (MoeTransformer model = MoeTransformer.create(config, new RandomWeights(3, 0.3), Device.cpu(), Precision.F32)) {
            GateCapture together = new GateCapture();
            TokenBatch batch = new TokenBatch(docs);
            ForwardResult all = model.forward(batch, together, true);
            for (int b = 0; b < docs.size(); b++) {
                GateCapture alone = new GateCapture();
                ForwardResult one = model.forward(TokenBatch.of(docs.get(b)), alone, true);
                assertEquals(one.meanNll(0), all.meanNll(b), 1e-5, label + ": NLL of doc " + b);
                for (int l = 0; l < config.numLayers(); l++) {
                    float[] a = alone.floats.get(SparseMoe.gate(l));
                    float[] t = together.floats.get(SparseMoe.gate(l));
                    int off = batch.offset(b) * config.numExperts();
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(a[i], t[off + i], 1e-5, label + ": batched gate logit, doc " + b + " layer " + l);
                    }
                }
            }
            model.setDispatch(ExpertDispatch.DENSE);
            GateCapture dense = new GateCapture();
            ForwardResult denseResult = model.forward(batch, dense, true);
            for (int b = 0; b < docs.size(); b++) {
                assertEquals(all.meanNll(b), denseResult.meanNll(b), 1e-5, label + ": dense vs sparse NLL");
            }
            for (String name : together.floats.keySet()) {
                float[] s = together.floats.get(name);
                float[] d = dense.floats.get(name);
                for (int i = 0; i < s.length; i++) {
                    assertEquals(s[i], d[i], 1e-5, label + ": dense vs sparse at " + name);
                }
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} checkpoint")
    @org.junit.jupiter.params.provider.EnumSource(value = dev.routelens.model.checkpoint.SafeDType.class, names = {"F32", "BF16"})
    void checkpointsWrittenInF32AndBf16LoadAndMatchReference(dev.routelens.model.checkpoint.SafeDType dtype,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        MoeConfig config = tiny(3, 4, 2, 8, false);
        dev.routelens.model.checkpoint.CheckpointExporter.write(dir, config, new RandomWeights(21, 0.3), dtype);
        int[] doc = randomDoc(new Random(3), 19, config.vocabSize());
        try (dev.routelens.model.checkpoint.Checkpoint ckpt = dev.routelens.model.checkpoint.Checkpoint.open(dir);
             MoeTransformer model = ModelLoader.load(dir, Device.cpu(), Precision.F32)) {
            ReferenceMoe reference = new ReferenceMoe(config, new dev.routelens.model.checkpoint.CheckpointWeights(ckpt, false));
            ReferenceMoe.Output ref = reference.run(doc);
            GateCapture capture = new GateCapture();
            ForwardResult result = model.forward(TokenBatch.of(doc), capture, true);
            for (int l = 0; l < config.numLayers(); l++) {
                float[] gate = capture.floats.get(SparseMoe.gate(l));
                for (int t = 0; t < doc.length; t++) {
                    double[] expected = ref.gateLogits()[l][t];
                    double scale = Arrays.stream(expected).map(Math::abs).max().orElse(1);
                    for (int j = 0; j < config.numExperts(); j++) {
                        assertEquals(expected[j], gate[t * config.numExperts() + j], 1e-5 * scale, dtype + " layer " + l);
                    }
                }
            }
            assertEquals(ref.meanNll(), result.meanNll(0), 1e-4, dtype + " mean NLL");
        }
    }
}
