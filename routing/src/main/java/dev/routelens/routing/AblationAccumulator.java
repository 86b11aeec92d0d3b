package dev.routelens.routing;

import dev.routelens.model.MoeConfig;
import dev.routelens.probe.BatchCapture;
import dev.routelens.probe.CapturedTensor;
import dev.routelens.model.SparseMoe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-class NLL sums and routing-shift counts for one ablation. Routing shift is counted at each MoE layer
 * (by position among the M MoE layers) from the ablated layer on.
 */
final class AblationAccumulator {
    private final MoeConfig config;
    private final Ablation ablation;
    private final List<LabeledTokens> docs;
    private final int[] moeLayers;                                    // [M] real indices
    LinkedHashMap<String, double[]> nll = new LinkedHashMap<>();      // label -> {base, ablated, tokens}
    LinkedHashMap<String, long[][]> shift = new LinkedHashMap<>();    // label -> {changed[M], total[M]}

    void restore(LinkedHashMap<String, double[]> savedNll, LinkedHashMap<String, long[][]> savedShift) {
        this.nll = savedNll;
        this.shift = savedShift;
    }

    AblationAccumulator(Ablation ablation, List<LabeledTokens> docs, MoeConfig config) {
        this.config = config;
        this.ablation = ablation;
        this.docs = docs;
        this.moeLayers = config.moeLayers();
        for (LabeledTokens d : docs) {
            nll.computeIfAbsent(d.label(), k -> new double[3]);
            shift.computeIfAbsent(d.label(), k -> new long[2][moeLayers.length]);
        }
        nll.put(RoutingReport.ALL_CLASSES, new double[3]);
        shift.put(RoutingReport.ALL_CLASSES, new long[2][moeLayers.length]);
    }

    void add(int[] members, BatchCapture base, BatchCapture ablated) {
        int k = config.topK();
        for (int b = 0; b < members.length; b++) {
            String label = docs.get(members[b]).label();
            for (String key : List.of(label, RoutingReport.ALL_CLASSES)) {
                double[] s = nll.get(key);
                s[0] += base.result().nllSum()[b];
                s[1] += ablated.result().nllSum()[b];
                s[2] += base.result().nllCount()[b];
            }
            for (int l = firstSlot(); l < moeLayers.length; l++) {
                CapturedTensor before = base.perDocument().get(b).get(SparseMoe.topk(moeLayers[l]));
                CapturedTensor after = ablated.perDocument().get(b).get(SparseMoe.topk(moeLayers[l]));
                int tokens = before.rows();
                int changed = 0;
                long[] x = before.longs();                     // [tokens*k]
                long[] y = after.longs();                      // [tokens*k]
                for (int t = 0; t < tokens; t++) {
                    if (!sameSet(x, y, t * k, k)) {
                        changed++;
                    }
                }
                for (String key : List.of(label, RoutingReport.ALL_CLASSES)) {
                    shift.get(key)[0][l] += changed;
                    shift.get(key)[1][l] += tokens;
                }
            }
        }
    }

    /** Position among the MoE layers of the first layer the ablation acts on. */
    private int firstSlot() {
        return MoeLayers.slotOf(moeLayers, ablation.firstLayer(config));
    }

    /** Whether rows [from, from+k) of x and y hold the same experts; a row's k experts are distinct. */
    private static boolean sameSet(long[] x, long[] y, int from, int k) {
        for (int i = from; i < from + k; i++) {
            boolean found = false;
            for (int j = from; j < from + k && !found; j++) {
                found = x[i] == y[j];
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    AblationResult result() {
        List<AblationResult.ClassNll> classes = new ArrayList<>();
        Map<String, double[]> fractions = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : nll.entrySet()) {
            double[] s = e.getValue();
            long tokens = (long) s[2];
            classes.add(new AblationResult.ClassNll(e.getKey(), tokens == 0 ? Double.NaN : s[0] / tokens,
                    tokens == 0 ? Double.NaN : s[1] / tokens, tokens));
            long[][] c = shift.get(e.getKey());
            double[] f = new double[moeLayers.length];
            for (int l = 0; l < f.length; l++) {
                f[l] = l < firstSlot() || c[1][l] == 0 ? Double.NaN : c[0][l] / (double) c[1][l];
            }
            fractions.put(e.getKey(), f);
        }
        return new AblationResult(ablation, classes, fractions, moeLayers.clone());
    }
}
