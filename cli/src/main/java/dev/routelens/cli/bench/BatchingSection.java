package dev.routelens.cli.bench;

import dev.routelens.study.Progress;
import dev.routelens.model.bench.Repeats;
import dev.routelens.probe.Probe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code batching} section: plain forward tokens/s with at most 1, 4, 16 and 32 documents per batch
 * (length-bucketed batches of at most {@link Probe#DEFAULT_MAX_TOKENS} padded tokens), interleaved.
 */
final class BatchingSection {
    private static final int[] MAX_DOCS = {1, 4, 16, 32};

    private BatchingSection() {
    }

    static Map<String, Object> run(Workload w) {
        Probe probe = w.probe();
        List<Runnable> variants = new ArrayList<>();
        for (int maxDocs : MAX_DOCS) {
            variants.add(() -> {
                probe.batchLimits(Probe.DEFAULT_MAX_TOKENS, maxDocs);
                w.plainPass();
            });
        }
        List<Repeats> t;
        try (Progress bar = new Progress("bench batching", (w.repeats() + 1L) * variants.size())) {
            t = Repeats.interleaved(w.repeats(), variants, bar);
        } finally {
            probe.batchLimits(Probe.DEFAULT_MAX_TOKENS, Probe.DEFAULT_MAX_DOCUMENTS);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        for (int i = 0; i < MAX_DOCS.length; i++) {
            f.put("max_docs_" + MAX_DOCS[i] + "_tokens_per_s", w.tokens() / t.get(i).median());
        }
        return f;
    }
}
