package dev.routelens.cli.bench;

import dev.routelens.model.TorchThreads;
import dev.routelens.model.bench.Repeats;
import dev.routelens.study.Progress;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code threads} section: plain forward tokens/s at one PyTorch thread per core and at one thread, interleaved,
 * first on the machine as it is, then beside a competing process that keeps one core busy (a shell loop). It says
 * what the adaptive default ({@link TorchThreads#adaptiveDefault}) chose and why: on a shared machine one thread
 * per core oversubscribes the cores. The engine's thread count is restored afterwards.
 */
final class ThreadsSection {
    private ThreadsSection() {
    }

    static Map<String, Object> run(Workload w) throws IOException, InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        int before = TorchThreads.current();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("cores", cores);
        f.put("adaptive_default", TorchThreads.adaptiveDefault());
        try (Progress bar = new Progress("bench threads", 4 * (w.repeats() + 1L))) {
            long[] done = {0};
            measure(w, cores, "as_is", f, bar, done);
            Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
            try {
                measure(w, cores, "one_core_busy", f, bar, done);
            } finally {
                busy.destroyForcibly().waitFor();
            }
        } finally {
            TorchThreads.apply(before);
        }
        return f;
    }

    /** Interleaved forwards at {@code cores} threads and at one, as {@code what}: tokens/s for each and their ratio. */
    private static void measure(Workload w, int cores, String what, Map<String, Object> f, Progress bar, long[] done) {
        List<Repeats> t = Repeats.interleaved(w.repeats(), List.of(
                () -> {
                    TorchThreads.apply(cores);
                    w.plainPass();
                },
                () -> {
                    TorchThreads.apply(1);
                    w.plainPass();
                }), n -> bar.accept(done[0] + n));
        done[0] += 2 * (w.repeats() + 1L);
        double perCore = t.get(0).median();
        double one = t.get(1).median();
        f.put(what + "_tokens_per_s_one_per_core", w.tokens() / perCore);
        f.put(what + "_tokens_per_s_one_thread", w.tokens() / one);
        f.put(what + "_one_thread_speedup", perCore / one);
    }
}
