package dev.routelens.cli;

import dev.routelens.model.TokenBatch;
import dev.routelens.probe.BatchCapture;
import dev.routelens.probe.CapturedTensor;
import dev.routelens.probe.Hook;
import dev.routelens.probe.Probe;
import dev.routelens.study.TokenNll;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * probe's forward passes: every document under the --ablate hooks, capturing the tensors {@code filter} names
 * and each token's NLL, and, when there are knock-outs, every document again without them for the baseline.
 * Both sets run as one {@link Probe#runBatches} call, so a layer-streamed model builds each layer once.
 */
final class ProbeRun {
    private ProbeRun() {
    }

    /**
     * One document's results.
     *
     * @param captured hook name -> tensor, no padding
     * @param nllSum summed next-token NLL (nats) under the knock-outs
     * @param nllCount predicted tokens (length - 1)
     * @param tokenNll each token's NLL [T], entry 0 NaN; sums to {@code nllSum}
     * @param baselineNllSum the same without knock-outs; NaN when there are none
     * @param baselineTokenNll the same without knock-outs [T]; null when there are none
     */
    record Document(Map<String, CapturedTensor> captured, double nllSum, int nllCount, float[] tokenNll,
                    double baselineNllSum, float[] baselineTokenNll) {
        Document {
            if (tokenNll.length != nllCount + 1 || (baselineTokenNll != null && baselineTokenNll.length != tokenNll.length)) {
                throw new IllegalArgumentException("per-token NLL of " + tokenNll.length + " tokens for " + nllCount
                        + " predicted");
            }
            check("", tokenNll, nllSum);
            if (baselineTokenNll != null) {
                check("baseline ", baselineTokenNll, baselineNllSum);
            }
        }

        /** Refuses per-token values that do not sum to the model's own document NLL (1e-9 relative). */
        private static void check(String what, float[] tokenNll, double nllSum) {
            double sum = 0;
            for (int p = 1; p < tokenNll.length; p++) {
                sum += tokenNll[p];
            }
            if (!(Math.abs(sum - nllSum) <= 1e-9 * Math.max(1, Math.abs(nllSum)))) {
                throw new IllegalStateException(what + "per-token NLL sums to " + sum + " but the document's is " + nllSum);
            }
        }

        double nll() {
            return nllCount == 0 ? Double.NaN : nllSum / nllCount;
        }

        double baselineNll() {
            return nllCount == 0 ? Double.NaN : baselineNllSum / nllCount;
        }
    }

    /** Runs {@code docs}; the baseline pass only when {@code ablations} is not empty. Results in input order. */
    static List<Document> run(Probe probe, List<int[]> docs, Predicate<String> filter, Map<String, Hook> ablations) {
        boolean baseline = !ablations.isEmpty();
        List<int[]> plan = probe.plan(docs).batches();
        List<TokenBatch> batches = new ArrayList<>();
        List<Map<String, Hook>> hooks = new ArrayList<>();
        List<TokenNll> nlls = new ArrayList<>();
        for (int pass = 0; pass < (baseline ? 2 : 1); pass++) {
            for (int[] members : plan) {
                TokenNll nll = new TokenNll();
                Map<String, Hook> h = new HashMap<>(pass == 0 ? ablations : Map.of());
                h.put(TokenNll.SITE, nll.hook());
                batches.add(TokenBatch.select(docs, members));
                hooks.add(h);
                nlls.add(nll);
            }
        }
        List<BatchCapture> captures = probe.runBatches(batches, filter, hooks, true);
        Document[] out = new Document[docs.size()];
        for (int k = 0; k < plan.size(); k++) {
            int[] members = plan.get(k);
            BatchCapture c = captures.get(k);
            BatchCapture base = baseline ? captures.get(plan.size() + k) : null;
            for (int b = 0; b < members.length; b++) {
                out[members[b]] = new Document(c.perDocument().get(b), c.result().nllSum()[b], c.result().nllCount()[b],
                        nlls.get(k).document(b), base == null ? Double.NaN : base.result().nllSum()[b],
                        base == null ? null : nlls.get(plan.size() + k).document(b));
            }
        }
        return Arrays.asList(out);
    }
}
