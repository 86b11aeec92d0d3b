package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.routelens.core.InputKind;
import dev.routelens.model.ModelLoader;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.SparseMoe;
import dev.routelens.model.nano.NanoModel;
import dev.routelens.probe.ActivationCache;
import dev.routelens.probe.CapturedTensor;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The saliency and predicted-next studies of a real pass on SciDFM-nano against the same quantities computed here, in
 * double, from full captures of the top-k, its weights, every expert's output rows and the logits.
 */
class OutputCaptureTest {
    static MoeTransformer model;
    static MoeConfig config;
    static List<LabeledTokens> docs;
    static RoutingReport report;
    static ActivationCache cache;

    @BeforeAll
    static void run() throws Exception {
        model = ModelLoader.load(NanoModel.locate().orElseThrow(), Device.cpu(), Precision.F32);
        config = model.config();
        Random random = new Random(5);
        docs = new ArrayList<>();
        String[] labels = {"a", "b", "a"};
        int[] lengths = {40, 27, 33};
        for (int d = 0; d < lengths.length; d++) {
            docs.add(new LabeledTokens("doc" + d, labels[d], InputKind.TEXT, random.ints(lengths[d], 3, 200).toArray()));
        }
        Probe probe = new Probe(model);
        RoutingMetrics metrics = new RoutingMetrics(config.moeLayers(), config.numExperts(), config.topK(), 1);
        new RoutingPass(probe).run(docs, metrics, null, n -> { });
        report = metrics.report();
        cache = new Probe(model).runWithCache(docs.stream().map(LabeledTokens::ids).toList(),
                NameFilter.of(SparseMoe.GATE_EVERY_LAYER, SparseMoe.TOPK_EVERY_LAYER, SparseMoe.TOPK_WEIGHTS_EVERY_LAYER,
                        OutputCapture.EXPERT_OUT_EVERY_LAYER, MoeTransformer.LOGITS), Map.of(), false);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void saliencyMatchesFullCaptures() {
        int experts = config.numExperts();
        int k = config.topK();
        for (int layer : config.moeLayers()) {
            double[] sum = new double[experts];
            long[] count = new long[experts];
            for (int d = 0; d < docs.size(); d++) {
                CapturedTensor topk = cache.get(d, SparseMoe.topk(layer)); // [T, k]
                CapturedTensor weights = cache.get(d, SparseMoe.topkWeights(layer)); // [T, k]
                for (int j = 0; j < experts; j++) {
                    if (!cache.names(d).contains(SparseMoe.expertOut(layer, j))) {
                        continue; // no token of this document chose expert j here
                    }
                    CapturedTensor out = cache.get(d, SparseMoe.expertOut(layer, j)); // [n_j, H]
                    for (int r = 0; r < out.rows(); r++) {
                        int t = out.positions()[r];
                        double norm = 0;
                        for (float v : out.row(r)) {
                            norm += (double) v * v;
                        }
                        for (int s = 0; s < k; s++) {
                            if (topk.longs()[t * k + s] == j) {
                                sum[j] += weights.floats()[t * k + s] * Math.sqrt(norm);
                                count[j]++;
                            }
                        }
                    }
                }
            }
            double[] measured = report.expertSaliency().score(RoutingReport.ALL_CLASSES, layer);
            for (int j = 0; j < experts; j++) {
                assertEquals(count[j], report.expertSaliency().tokens()[2][MoeLayers.slotOf(config.moeLayers(), layer)][j],
                        "layer " + layer + " expert " + j + " tokens");
                if (count[j] == 0) {
                    assertTrue(Double.isNaN(measured[j]));
                } else {
                    assertEquals(sum[j] / count[j], measured[j], 1e-5 * Math.abs(sum[j] / count[j]),
                            "layer " + layer + " expert " + j);
                }
            }
        }
    }

    @Test
    void predictedNextKeysAreTheArgmaxOfTheLogits() {
        int layers = config.moeLayers().length;
        TokenKeyCounts expected = new TokenKeyCounts(TokenSpecialisation.Key.PREDICTED_NEXT, layers,
                config.numExperts(), config.topK());
        for (int d = 0; d < docs.size(); d++) {
            CapturedTensor logits = cache.get(d, MoeTransformer.LOGITS); // [T, V]
            for (int t = 0; t < logits.rows(); t++) {
                float[] row = logits.row(t);
                int argmax = 0;
                for (int v = 1; v < row.length; v++) {
                    if (row[v] > row[argmax]) {
                        argmax = v;
                    }
                }
                int[][] chosen = new int[layers][];
                for (int m = 0; m < layers; m++) {
                    float[] gate = cache.get(d, SparseMoe.gate(config.moeLayers()[m])).row(t);
                    double[] p = new double[gate.length];
                    TopK.softmax(gate, p);
                    chosen[m] = TopK.indices(p, config.topK());
                }
                expected.add(argmax, chosen);
            }
        }
        TokenSpecialisation want = expected.report(config.moeLayers(), 1);
        TokenSpecialisation got = report.tokenSpecialisation(TokenSpecialisation.Key.PREDICTED_NEXT).orElseThrow();
        for (int m = 0; m < layers; m++) {
            assertEquals(want.keys()[m], got.keys()[m]);
            assertEquals(want.overall()[m], got.overall()[m], 1e-12, "MoE layer slot " + m);
        }
    }
}
