package dev.routelens.cli.bench;

import dev.routelens.study.Progress;
import dev.routelens.core.InputKind;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.bench.Repeats;
import dev.routelens.routing.Ablation;
import dev.routelens.routing.AblationBaseline;
import dev.routelens.routing.AblationMode;
import dev.routelens.routing.AblationStudy;
import dev.routelens.routing.LabeledTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ablation_sweep} section: a reroute sweep over every (MoE layer, expert) pair on the first
 * documents, with residual caching (resuming at layer l's {@code resid.mid}) and naive (a full pass per
 * ablation), whole sweeps interleaved in pairs; then the same ablations one at a time
 * ({@link AblationStudy#run(AblationBaseline, Ablation, boolean)} on one shared baseline), each ablation's
 * cached and naive run back to back, so a slow spell of the shared machine hits both alike.
 */
final class SweepSection {
    private SweepSection() {
    }

    static Map<String, Object> run(Workload w, int sweepDocs) {
        MoeConfig c = w.probe().model().config();
        List<LabeledTokens> docs = new ArrayList<>();
        for (int i = 0; i < Math.min(sweepDocs, w.docs().size()); i++) {
            docs.add(new LabeledTokens("d" + i, "bench", InputKind.TEXT, w.docs().get(i)));
        }
        AblationStudy study = new AblationStudy(w.probe());
        List<Ablation> ablations = new ArrayList<>();
        for (int l : c.moeLayers()) {
            for (int e = 0; e < c.numExperts(); e++) {
                ablations.add(new Ablation(l, e, AblationMode.REROUTE, 0));
            }
        }
        long perSweep = study.sweepRuns(docs, AblationMode.REROUTE);
        long[] before = {0}; // ablated runs in the sweeps finished so far, for the bar
        List<Repeats> t;
        double cached = 0;
        double naive = 0;
        try (Progress bar = new Progress("bench sweep", (w.repeats() + 1L) * 2 * perSweep + ablations.size())) {
            List<Runnable> sweeps = new ArrayList<>();
            for (boolean caching : new boolean[] {true, false}) {
                sweeps.add(() -> {
                    study.sweep(docs, AblationMode.REROUTE, 0, caching, n -> bar.accept(before[0] + n));
                    before[0] += perSweep;
                });
            }
            t = Repeats.interleaved(w.repeats(), sweeps, n -> { });
            AblationBaseline base = study.baseline(docs);
            for (int i = 0; i < ablations.size(); i++) {
                Ablation a = ablations.get(i);
                Runnable resumed = () -> study.run(base, a, true);
                Runnable full = () -> study.run(base, a, false);
                if (i % 2 == 0) { // alternate which goes first
                    cached += Repeats.time(resumed);
                    naive += Repeats.time(full);
                } else {
                    naive += Repeats.time(full);
                    cached += Repeats.time(resumed);
                }
                bar.accept(before[0] + i + 1);
            }
        }
        double[] pairs = new double[w.repeats()]; // [repeats]: naive / cached of each interleaved pair
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = t.get(1).seconds()[i] / t.get(0).seconds()[i];
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("documents", docs.size());
        f.put("ablations", ablations.size());
        f.put("residual_cached_seconds", t.get(0).median());
        f.put("naive_seconds", t.get(1).median());
        f.put("speedup", t.get(1).median() / t.get(0).median());
        f.put("speedup_per_pair", pairs);
        f.put("speedup_median_of_pairs", Repeats.median(pairs));
        f.put("per_ablation_interleaved_cached_seconds", cached);
        f.put("per_ablation_interleaved_naive_seconds", naive);
        f.put("per_ablation_interleaved_speedup", naive / cached);
        return f;
    }
}
