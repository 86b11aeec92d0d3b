package dev.routelens.cli.bench;

import dev.routelens.study.Progress;
import dev.routelens.model.ExpertDispatch;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.bench.Repeats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code dispatch} section: plain forward tokens/s with sparse expert dispatch (each expert on its
 * routed tokens) against the dense reference (every expert on every token), interleaved.
 */
final class DispatchSection {
    private DispatchSection() {
    }

    static Map<String, Object> run(Workload w) {
        MoeTransformer model = w.probe().model();
        MoeConfig c = model.config();
        ExpertDispatch before = model.dispatch();
        List<Repeats> t;
        try (Progress bar = new Progress("bench dispatch", (w.repeats() + 1L) * 2)) {
            t = Repeats.interleaved(w.repeats(), List.of(
                    () -> {
                        model.setDispatch(ExpertDispatch.SPARSE);
                        w.plainPass();
                    },
                    () -> {
                        model.setDispatch(ExpertDispatch.DENSE);
                        w.plainPass();
                    }), bar);
        } finally {
            model.setDispatch(before);
        }
        double sparse = t.get(0).median();
        double dense = t.get(1).median();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sparse_tokens_per_s", w.tokens() / sparse);
        f.put("dense_tokens_per_s", w.tokens() / dense);
        f.put("sparse_speedup", dense / sparse);
        f.put("expert_flops_ratio_dense_over_sparse", (double) c.numExperts() / c.topK());
        return f;
    }
}
