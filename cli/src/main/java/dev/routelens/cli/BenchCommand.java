package dev.routelens.cli;

import dev.routelens.study.OutputPaths;
import dev.routelens.study.Tokenized;
import dev.routelens.study.Progress;
import dev.routelens.study.LoadedModel;
import dev.routelens.study.Json;
import dev.routelens.core.UserError;
import dev.routelens.model.DecoderLayer;
import dev.routelens.core.InputKind;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.routelens.embed.Tsne;
import dev.routelens.embed.TsneConfig;
import dev.routelens.embed.TsneMethod;
import dev.routelens.model.ExpertDispatch;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.ResumePoint;
import dev.routelens.model.TokenBatch;
import dev.routelens.probe.BatchCapture;
import dev.routelens.model.SparseMoe;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import dev.routelens.routing.Ablation;
import dev.routelens.routing.AblationMode;
import dev.routelens.routing.AblationStudy;
import dev.routelens.core.AtomicFiles;
import dev.routelens.core.OutputLock;
import dev.routelens.routing.LabeledTokens;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code routelens bench}: figures measured side by side in one run, medians over repeats after a
 * warm-up. Prints a table and writes the figures as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark forward passes, capture overhead, dispatch, batching, ablation sweeps, t-SNE and loading.",
            "With --stream: one layer-streamed pass, split into weight building and compute, against the matmul rate."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    SampleOptions sampleOptions = new SampleOptions();

    @Option(names = "--docs", defaultValue = "96", description = "Documents per forward measurement (default: ${DEFAULT-VALUE}).")
    int docs;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats per figure (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--batch", description = "With --tokens: a synthetic batch of B documents (for SciDFM-shaped models).")
    Integer batch;

    @Option(names = "--tokens", description = "With --batch: tokens per synthetic document.")
    Integer tokens;

    @Option(names = "--tsne-sizes", split = ",", defaultValue = "600,2000,5000", description = "t-SNE sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> tsneSizes;

    @Option(names = "--sweep-docs", defaultValue = "12", description = "Documents in the ablation-sweep measurement (default: ${DEFAULT-VALUE}).")
    int sweepDocs;

    @Option(names = "--skip", split = ",", description = "Sections to skip: forward,dispatch,batching,sweep,tsne,load,matmul.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--memory", split = ",", paramLabel = "N1,N2", description = "Only measure memory: gate capture over N1 then N2 documents (e.g. 1000,5000), printing peak RSS and heap after each.")
    List<Integer> memory;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Where to write the figures. Its folder is held for the run: another run writing into it at the same time is refused.")
    Path out;

    @Option(names = "--soak", paramLabel = "N", description = "Instead of timing: N runs of figure1 and ablate --sweep on SciDFM-nano, each killed with SIGKILL at a random moment and resumed; every result must equal an uninterrupted run's byte for byte (exit 1 otherwise).")
    Integer soak;

    @Option(names = "--soak-seed", defaultValue = "1", paramLabel = "S", description = "Seed of --soak's kill moments (default: ${DEFAULT-VALUE}).")
    long soakSeed;

    /** What --skip can name. */
    static final List<String> SECTIONS = List.of("forward", "dispatch", "batching", "sweep", "tsne", "load", "matmul");

    private final Map<String, Object> figures = new LinkedHashMap<>();

    /** The documents to measure on; null with --batch and --tokens (synthetic documents). */
    private SampleSet samples;

    @Override
    public Integer call() throws Exception {
        if (soak != null) {
            return soak();
        }
        checkOptions();
        MoeConfig config = modelOptions.check();
        if (tokens != null && tokens > config.maxPositions()) {
            throw new UserError("--tokens " + tokens + " is more than the model's context of " + config.maxPositions());
        }
        if (memory != null && modelOptions.streamed()) {
            throw new UserError("--memory measures in-memory gate capture; this run streams (--stream, or a model too"
                    + " large for memory)");
        }
        try (OutputLock lock = OutputPaths.holdFileFolder("--out", out)) {
            return measure();
        }
    }

    /**
     * {@code --soak N}: the kill-and-resume soak ({@link SoakBench}) on the embedded model, which it runs in child
     * JVMs; model, sample and timing options do not apply. Its runs go in a folder beside {@code --out}, kept
     * only when a run's results differed.
     */
    private int soak() throws Exception {
        positive("--soak", soak);
        if (modelOptions.model != null || modelOptions.randomInit != null || sampleOptions.given() || memory != null
                || batch != null || tokens != null) {
            throw new UserError("--soak runs figure1 and ablate on the embedded SciDFM-nano in child processes; it takes"
                    + " no model, sample, --memory, --batch or --tokens options");
        }
        try (OutputLock lock = OutputPaths.holdFileFolder("--out", out)) {
            Path work = out.toAbsolutePath().resolveSibling(out.getFileName() + ".soak");
            Map<String, Object> result = new SoakBench(soak, soakSeed, work).run();
            figures.put("soak", result);
            AtomicFiles.write(out, w -> Json.MAPPER.writeValue(w, figures));
            int mismatched = (Integer) result.get("mismatched");
            System.out.printf("soak: %d of %d killed-and-resumed runs identical to an uninterrupted run%s -> %s%n",
                    soak - mismatched, soak, mismatched == 0 ? "" : "; the runs are kept in " + work, out);
            return mismatched == 0 ? 0 : 1;
        }
    }

    /**
     * Every option on its own and in combination, and the sample set, before the model loads: no figure can
     * fail after minutes of measuring because of a value known to be wrong at the start.
     */
    private void checkOptions() {
        positive("--docs", docs);
        positive("--repeats", repeats);
        positive("--sweep-docs", sweepDocs);
        for (int n : tsneSizes) {
            if (n < Tsne.MIN_POINTS) {
                throw new UserError("--tsne-sizes: each size must be at least " + Tsne.MIN_POINTS + " points, got " + n);
            }
        }
        List<String> unknown = skip.stream().filter(x -> !SECTIONS.contains(x)).toList();
        if (!unknown.isEmpty()) {
            throw new UserError("--skip: no section " + String.join(", ", unknown) + "; the sections are "
                    + String.join(", ", SECTIONS));
        }
        if (memory != null) {
            int previous = 0;
            for (int n : memory) {
                if (n <= previous) {
                    throw new UserError("--memory takes increasing positive document counts such as 1000,5000, got "
                            + memory.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
                }
                previous = n;
            }
        }
        if ((batch == null) != (tokens == null)) {
            throw new UserError("--batch and --tokens go together (a synthetic batch of B documents of T tokens)");
        }
        if (batch != null) {
            positive("--batch", batch);
            positive("--tokens", tokens);
            if (memory != null) {
                throw new UserError("--memory measures the sample documents; it does not take --batch and --tokens");
            }
            if (sampleOptions.given()) {
                throw new UserError("--batch and --tokens make synthetic documents; the sample options"
                        + " (--samples, --corpus, --labels, --per-class) do not apply");
            }
            return;
        }
        samples = sampleOptions.read(42);
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new UserError(option + " must be >= 1, got " + value);
        }
    }

    private Integer measure() throws Exception {
        long loadStart = System.nanoTime();
        try (LoadedModel loaded = modelOptions.load()) {
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            MoeTransformer model = loaded.model();
            MoeConfig c = model.config();
            figures.put("date", java.time.LocalDate.now().toString());
            figures.put("model", loaded.description());
            figures.put("device", model.device().toString());
            figures.put("dtype", model.precision().name().toLowerCase());
            figures.put("cpu_cores", Runtime.getRuntime().availableProcessors());
            figures.put("flops_per_token", c.flopsPerToken());
            figures.put("parameters", c.parameterCount());
            if (!skip.contains("load")) {
                long bytes = checkpointBytes(loaded);
                Map<String, Object> load = new LinkedHashMap<>();
                load.put("seconds", loadSeconds);
                load.put("checkpoint_bytes", bytes);
                load.put("gb_per_s", bytes > 0 ? bytes / 1e9 / loadSeconds : null);
                // Streamed, "loading" opens the checkpoint and scans every value once before layer 0.
                figures.put(loaded.streaming() != null ? "open_and_scan" : "load", load);
            }
            if (loaded.streaming() != null) {
                List<int[]> ids = documents(loaded);
                figures.put("stream", new StreamBench(loaded, ids, checkpointBytes(loaded)).run());
                Files.createDirectories(out.toAbsolutePath().getParent());
                AtomicFiles.write(out, w -> Json.MAPPER.writeValue(w, figures));
                print(figures, "");
                System.out.println("bench: figures written to " + out.toAbsolutePath());
                return 0;
            }
            if (memory != null) {
                figures.put("memory", memory(loaded));
                Files.createDirectories(out.toAbsolutePath().getParent());
                AtomicFiles.write(out, w -> Json.MAPPER.writeValue(w, figures));
                print(figures, "");
                return 0;
            }
            Double peakFlops = skip.contains("matmul") ? null : matmulFlops(model);
            figures.put("matmul_flops_per_s", peakFlops);
            List<int[]> ids = documents(loaded);
            long tokenCount = ids.stream().mapToLong(d -> d.length).sum();
            figures.put("bench_documents", ids.size());
            figures.put("bench_tokens", tokenCount);
            Probe probe = new Probe(model);
            figures.put("padding_fraction", probe.plan(ids).paddingFraction());
            if (!skip.contains("forward")) {
                Map<String, Object> f = new LinkedHashMap<>();
                // Interleaved repeats, so slow drift of a shared machine hits every variant alike.
                double[][] t = interleaved(List.of(
                        () -> time(() -> probe.runWithCache(ids, n -> false, Map.of(), false)),
                        () -> time(() -> probe.runWithCache(ids, NameFilter.of(SparseMoe.GATE_EVERY_LAYER), Map.of(), false)),
                        () -> time(() -> probe.runWithCache(ids, NameFilter.all(), Map.of(), true)),
                        () -> time(() -> probe.runWithCache(ids, n -> false, Map.of(), true))), repeats);
                double plain = medianOf(t[0]);
                double gate = medianOf(t[1]);
                double full = medianOf(t[2]);
                double withHead = medianOf(t[3]);
                f.put("plain_tokens_per_s", tokenCount / plain);
                f.put("gate_capture_tokens_per_s", tokenCount / gate);
                f.put("gate_capture_overhead", gate / plain - 1);
                f.put("with_lm_head_tokens_per_s", tokenCount / withHead);
                f.put("full_cache_tokens_per_s", tokenCount / full);
                if (peakFlops != null) {
                    f.put("fraction_of_matmul_rate", tokenCount / withHead * c.flopsPerToken() / peakFlops);
                }
                figures.put("forward", f);
            }
            if (!skip.contains("dispatch")) {
                Map<String, Object> f = new LinkedHashMap<>();
                double sparse = median(() -> time(() -> probe.runWithCache(ids, n -> false, Map.of(), false)));
                model.setDispatch(ExpertDispatch.DENSE);
                double dense = median(() -> time(() -> probe.runWithCache(ids, n -> false, Map.of(), false)));
                model.setDispatch(ExpertDispatch.SPARSE);
                f.put("sparse_tokens_per_s", tokenCount / sparse);
                f.put("dense_tokens_per_s", tokenCount / dense);
                f.put("sparse_speedup", dense / sparse);
                f.put("expert_flops_ratio_dense_over_sparse", (double) c.numExperts() / c.topK());
                figures.put("dispatch", f);
            }
            if (!skip.contains("batching")) {
                Map<String, Object> f = new LinkedHashMap<>();
                for (int maxDocs : new int[] {1, 4, 16, 32}) {
                    probe.batchLimits(Probe.DEFAULT_MAX_TOKENS, maxDocs);
                    double s = median(() -> time(() -> probe.runWithCache(ids, n -> false, Map.of(), false)));
                    f.put("max_docs_" + maxDocs + "_tokens_per_s", tokenCount / s);
                }
                probe.batchLimits(Probe.DEFAULT_MAX_TOKENS, Probe.DEFAULT_MAX_DOCUMENTS);
                figures.put("batching", f);
            }
            if (!skip.contains("sweep")) {
                List<LabeledTokens> sweepSet = new ArrayList<>();
                for (int i = 0; i < Math.min(sweepDocs, ids.size()); i++) {
                    sweepSet.add(new LabeledTokens("d" + i, "bench", dev.routelens.core.InputKind.TEXT, ids.get(i)));
                }
                AblationStudy study = new AblationStudy(probe);
                double[][] sweepTimes = interleaved(List.of(
                        () -> time(() -> study.sweep(sweepSet, AblationMode.REROUTE, 0, true, n -> { })),
                        () -> time(() -> study.sweep(sweepSet, AblationMode.REROUTE, 0, false, n -> { }))),
                        repeats);
                double cached = medianOf(sweepTimes[0]);
                double naive = medianOf(sweepTimes[1]);
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("documents", sweepSet.size());
                f.put("ablations", c.moeLayers().length * c.numExperts());
                f.put("residual_cached_seconds", cached);
                f.put("naive_seconds", naive);
                f.put("speedup", naive / cached);
                double[] pairs = new double[sweepTimes[0].length];
                for (int i = 0; i < pairs.length; i++) {
                    pairs[i] = sweepTimes[1][i] / sweepTimes[0][i];
                }
                f.put("speedup_per_pair", pairs);
                f.put("speedup_median_of_pairs", medianOf(pairs));
                // The same runs timed ablation by ablation, cached and naive back to back (order
                // alternating), so a slow spell of the shared machine hits both alike.
                double[] perRun = perAblationInterleaved(probe, c, sweepSet.stream().map(LabeledTokens::ids).toList());
                f.put("per_ablation_interleaved_cached_seconds", perRun[0]);
                f.put("per_ablation_interleaved_naive_seconds", perRun[1]);
                f.put("per_ablation_interleaved_speedup", perRun[1] / perRun[0]);
                figures.put("ablation_sweep", f);
            }
            if (!skip.contains("tsne")) {
                figures.put("tsne", tsne(c.expertChoiceWidth()));
            }
            figures.put("peak_rss_mb", peakRssMb());
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        AtomicFiles.write(out, w -> Json.MAPPER.writeValue(w, figures));
        print(figures, "");
        System.out.println("bench: figures written to " + out.toAbsolutePath());
        return 0;
    }

    private List<int[]> documents(LoadedModel loaded) {
        MoeConfig c = loaded.model().config();
        List<int[]> ids = new ArrayList<>();
        if (batch != null) { // checked with the other options
            Random r = new Random(7);
            for (int b = 0; b < batch; b++) {
                int[] d = new int[tokens];
                for (int t = 0; t < tokens; t++) {
                    d[t] = r.nextInt(loaded.tokenizer().vocabSize());
                }
                ids.add(d);
            }
            return ids;
        }
        Tokenized t = usable(loaded);
        for (LabeledTokens d : t.docs()) {
            if (ids.size() == docs) {
                break;
            }
            ids.add(d.ids().length > c.maxPositions() ? Arrays.copyOf(d.ids(), c.maxPositions()) : d.ids());
        }
        return ids;
    }

    /**
     * Streams documents through gate capture (as figure1 does) and records peak RSS and used heap after
     * each count; flat figures between the counts mean no native or heap growth per document.
     */
    private Map<String, Object> memory(LoadedModel loaded) throws IOException {
        List<LabeledTokens> pool = usable(loaded).docs();
        Map<String, Object> f = new LinkedHashMap<>();
        dev.routelens.routing.RoutingPass pass = new dev.routelens.routing.RoutingPass(new Probe(loaded.model()));
        int done = 0;
        for (int target : memory) {
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
            at.put("peak_rss_mb", peakRssMb());
            at.put("rss_mb", rssMb());
            at.put("heap_used_mb", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
            at.put("seconds", (System.nanoTime() - start) / 1e9);
            f.put("after_" + target + "_documents", at);
        }
        return f;
    }

    /** The sample documents tokenized; refused when the tokenizer leaves none. */
    private Tokenized usable(LoadedModel loaded) {
        Tokenized t = Tokenized.of(samples, loaded.tokenizer());
        t.require(SampleRequirements.ANY, Optional.empty());
        return t;
    }

    /** Resident set size now, in MB (NaN where /proc is unavailable). */
    static double rssMb() {
        return procStatusMb("VmRSS:");
    }

    private Map<String, Object> tsne(int width) {
        Map<String, Object> f = new LinkedHashMap<>();
        Random r = new Random(3);
        for (int n : tsneSizes) {
            double[][] x = new double[n][width];
            for (int i = 0; i < n; i++) {
                int cls = i % 6;
                for (int j = 0; j < width; j++) {
                    x[i][j] = r.nextGaussian() * 0.3 + (j % 6 == cls ? 2 : 0);
                }
            }
            for (TsneMethod m : new TsneMethod[] {TsneMethod.EXACT, TsneMethod.BARNES_HUT}) {
                if (m == TsneMethod.EXACT && n > 5000) {
                    continue;
                }
                TsneConfig c = new TsneConfig(3, 30, 1000, 200, 42, m, 0.5);
                try {
                    f.put("n" + n + "_" + m.name().toLowerCase() + "_seconds", time(() -> Tsne.fit(x, c)));
                } catch (IllegalArgumentException e) {
                    f.put("n" + n + "_" + m.name().toLowerCase() + "_seconds", "refused: " + e.getMessage());
                }
            }
        }
        return f;
    }

    private static long checkpointBytes(LoadedModel loaded) throws IOException {
        Path dir = loaded.configFile().getParent();
        if (dir == null || !loaded.description().equals(dir.toString())) {
            return 0;
        }
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".safetensors")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static Double matmulFlops(MoeTransformer model) {
        int n = model.device().isGpu() ? 8192 : 1024;
        try (NDManager m = NDManager.newBaseManager(model.device())) {
            DataType dt = model.precision().dataType();
            NDArray a = m.randomNormal(new Shape(n, n)).toType(dt, false);
            NDArray b = m.randomNormal(new Shape(n, n)).toType(dt, false);
            double s = median(5, () -> time(() -> {
                NDArray c = a.matMul(b);
                c.toType(DataType.FLOAT32, false).get("0,0").getFloat();
                c.close();
            }));
            return 2.0 * n * n * n / s;
        }
    }

    /** Runs every timing once to warm up, then {@code repeats} rounds of all of them in turn. // [variant][repeat] */
    private static double[][] interleaved(List<Supplier<Double>> timings, int repeats) {
        timings.forEach(Supplier::get);
        double[][] t = new double[timings.size()][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int v = 0; v < timings.size(); v++) {
                t[v][r] = timings.get(v).get();
            }
        }
        return t;
    }

    private static double medianOf(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private double median(Supplier<Double> timing) {
        return median(repeats, timing);
    }

    private static double median(int repeats, Supplier<Double> timing) {
        timing.get();
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            t[i] = timing.get();
        }
        Arrays.sort(t);
        return t[repeats / 2];
    }

    /**
     * Seconds of every reroute ablation's re-run, residual-cached and naive, each pair timed back to
     * back; the same runs a sweep makes, without its bookkeeping. Returns {cached, naive}.
     */
    private static double[] perAblationInterleaved(Probe probe, MoeConfig c, List<int[]> docs) {
        double cached = 0;
        double naive = 0;
        int pair = 0;
        for (int[] members : probe.plan(docs).batches()) {
            List<int[]> batchDocs = new ArrayList<>();
            for (int m : members) {
                batchDocs.add(docs.get(m));
            }
            TokenBatch batch = new TokenBatch(batchDocs);
            BatchCapture base = probe.runBatch(batch, NameFilter.of(DecoderLayer.RESID_MID_EVERY_LAYER), Map.of(), true);
            for (int l : c.moeLayers()) {
                Predicate<String> topk = SparseMoe.topkFrom(l);
                ResumePoint at = ResumePoint.residMid(l); // where every ablation at layer l resumes
                float[] residual = base.packed(at.hookName()); // [N*H], shared by the layer's ablations
                for (int e = 0; e < c.numExperts(); e++) {
                    Ablation a = new Ablation(l, e, AblationMode.REROUTE, 0);
                    Runnable resumed = () -> probe.runBatch(batch, topk, a.hooks(c.topK()), true, at, residual);
                    Runnable full = () -> probe.runBatch(batch, topk, a.hooks(c.topK()), true);
                    if (pair++ % 2 == 0) {
                        cached += time(resumed);
                        naive += time(full);
                    } else {
                        naive += time(full);
                        cached += time(resumed);
                    }
                }
            }
        }
        return new double[] {cached, naive};
    }

    private static double time(Runnable r) {
        long s = System.nanoTime();
        r.run();
        return (System.nanoTime() - s) / 1e9;
    }

    /** Peak resident set size so far, in MB (NaN where /proc is unavailable). */
    static double peakRssMb() {
        return procStatusMb("VmHWM:");
    }

    /** A kB figure from /proc/self/status, in MB; NaN when the file or the line is missing. */
    private static double procStatusMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> m, String indent) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> sub) {
                System.out.println(indent + e.getKey() + ":");
                print((Map<String, Object>) sub, indent + "  ");
            } else if (e.getValue() instanceof Double d) {
                System.out.printf("%s%-36s %,.4g%n", indent, e.getKey(), d);
            } else if (e.getValue() instanceof double[] values) {
                System.out.printf("%s%-36s %s%n", indent, e.getKey(), Arrays.stream(values)
                        .mapToObj(v -> String.format("%.3g", v)).collect(java.util.stream.Collectors.joining(", ")));
            } else {
                System.out.printf("%s%-36s %s%n", indent, e.getKey(), e.getValue());
            }
        }
    }
}
