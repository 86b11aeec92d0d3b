package dev.routelens.cli.bench;

import dev.routelens.study.Progress;
import dev.routelens.model.bench.Repeats;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code forward} section: tokens/s of a plain forward pass, with gate capture, with the LM head and
 * NLL, and with the full cache (every hook point copied to the host), the four interleaved.
 */
final class ForwardSection {
    private ForwardSection() {
    }

    /** @param matmulRate the machine's matmul FLOP/s, or null when that section was skipped */
    static Map<String, Object> run(Workload w, long flopsPerToken, Double matmulRate) {
        Probe probe = w.probe();
        List<Runnable> variants = List.of(
                w::plainPass,
                () -> probe.runWithCache(w.docs(), NameFilter.of("layers.*.moe.gate"), Map.of(), false),
                () -> probe.runWithCache(w.docs(), NameFilter.all(), Map.of(), true),
                () -> probe.runWithCache(w.docs(), n -> false, Map.of(), true));
        List<Repeats> t;
        try (Progress bar = new Progress("bench forward", (w.repeats() + 1L) * variants.size())) {
            t = Repeats.interleaved(w.repeats(), variants, bar);
        }
        double plain = t.get(0).median();
        double gate = t.get(1).median();
        double full = t.get(2).median();
        double withHead = t.get(3).median();
        long tokens = w.tokens();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("plain_tokens_per_s", tokens / plain);
        f.put("gate_capture_tokens_per_s", tokens / gate);
        f.put("gate_capture_overhead", gate / plain - 1);
        f.put("with_lm_head_tokens_per_s", tokens / withHead);
        f.put("full_cache_tokens_per_s", tokens / full);
        if (matmulRate != null) {
            f.put("fraction_of_matmul_rate", tokens / withHead * flopsPerToken / matmulRate);
        }
        return f;
    }
}
