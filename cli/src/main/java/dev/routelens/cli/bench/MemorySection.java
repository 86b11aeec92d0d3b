package dev.routelens.cli.bench;

import dev.routelens.study.Progress;
import dev.routelens.probe.Probe;
import dev.routelens.routing.LabeledTokens;
import dev.routelens.routing.RoutingPass;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --memory N1,N2}: streams documents through gate capture (as figure1 does) and records peak
 * RSS and used heap after each count; flat figures between the counts mean no native or heap growth per
 * document.
 */
final class MemorySection {
    private MemorySection() {
    }

    /** @param pool the sample documents, repeated (with fresh ids) up to the largest count */
    static Map<String, Object> run(Probe probe, List<LabeledTokens> pool, List<Integer> counts) throws IOException {
        Map<String, Object> f = new LinkedHashMap<>();
        RoutingPass pass = new RoutingPass(probe);
        int done = 0;
        for (int target : counts) {
            List<LabeledTokens> docs = new ArrayList<>();
            for (int i = done; i < target; i++) {
                LabeledTokens d = pool.get(i % pool.size());
                docs.add(new LabeledTokens(d.id() + "@" + i, d.label(), d.kind(), d.ids()));
            }
            long start = System.nanoTime();
            try (Progress bar = new Progress("memory " + target, pass.chunkCount(docs))) {
                pass.run(docs, null, null, bar);
            }
            done = target;
            System.gc();
            Runtime rt = Runtime.getRuntime();
            Map<String, Object> at = new LinkedHashMap<>();
            at.put("peak_rss_mb", Rss.peakMb());
            at.put("rss_mb", Rss.nowMb());
            at.put("heap_used_mb", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
            at.put("seconds", (System.nanoTime() - start) / 1e9);
            f.put("after_" + target + "_documents", at);
        }
        return f;
    }
}
