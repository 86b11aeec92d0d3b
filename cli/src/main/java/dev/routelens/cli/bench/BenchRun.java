package dev.routelens.cli.bench;

import dev.routelens.study.LoadedModel;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.probe.Probe;
import dev.routelens.routing.LabeledTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code bench} run on a loaded model: what was measured on (model, device, dtype, cores), the load,
 * then the sections in order, each printed (and saved) by the {@link BenchReport} as it finishes.
 */
public final class BenchRun {
    /** The in-memory sections, in the order they run; what {@code --skip} can name. */
    public static final List<String> SECTIONS = List.of("forward", "dispatch", "batching", "threads", "sweep", "tsne", "load", "matmul");

    private final LoadedModel loaded;
    private final BenchReport report;
    private final List<String> skip;

    public BenchRun(LoadedModel loaded, BenchReport report, List<String> skip) {
        this.loaded = loaded;
        this.report = report;
        this.skip = skip;
    }

    /** The machine and model, and the load's figures (unless skipped); {@code loadSeconds} is the load's wall time. */
    public void header(double loadSeconds) throws IOException {
        MoeTransformer model = loaded.model();
        MoeConfig c = model.config();
        report.put("date", LocalDate.now().toString());
        report.put("model", loaded.description());
        report.put("device", model.device().toString());
        report.put("dtype", model.precision().name().toLowerCase());
        report.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        // What else ran: the one-minute load average when the run started (other jobs slow every figure).
        report.put("load_average", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        report.put("flops_per_token", c.flopsPerToken());
        report.put("parameters", c.parameterCount());
        if (!skip.contains("load")) {
            long bytes = checkpointBytes();
            Map<String, Object> load = new LinkedHashMap<>();
            load.put("seconds", loadSeconds);
            load.put("checkpoint_bytes", bytes);
            load.put("gb_per_s", bytes > 0 ? bytes / 1e9 / loadSeconds : null);
            // Streamed, "loading" opens the checkpoint and scans every value once before layer 0.
            report.put(loaded.streaming() != null ? "open_and_scan" : "load", load);
        }
        report.save();
    }

    /** {@code --stream}: one layer-streamed pass over {@code docs} ({@link StreamBench}). */
    public void stream(List<int[]> docs) throws Exception {
        long bytes = checkpointBytes();
        report.section("stream", () -> new StreamBench(loaded, docs, bytes).run());
    }

    /** {@code --memory}: gate capture over growing document counts ({@link MemorySection}). */
    public void memory(List<LabeledTokens> pool, List<Integer> counts) throws Exception {
        report.section("memory", () -> MemorySection.run(new Probe(loaded.model()), pool, counts));
    }

    /** Every section not skipped, timed on {@code docs} (token ids within the context). */
    public void sections(List<int[]> docs, BenchSizes sizes) throws Exception {
        MoeTransformer model = loaded.model();
        MoeConfig c = model.config();
        // The matmul figure stays top-level (null when skipped), as the JSON has always had it.
        Double matmul = skip.contains("matmul") ? null : report.timed("matmul", () -> MatmulRate.square(model));
        report.put("matmul_flops_per_s", matmul);
        Workload w = new Workload(new Probe(model), docs, sizes.repeats());
        report.put("bench_documents", docs.size());
        report.put("bench_tokens", w.tokens());
        report.put("padding_fraction", w.probe().plan(docs).paddingFraction());
        if (!skip.contains("forward")) {
            report.section("forward", () -> ForwardSection.run(w, c.flopsPerToken(), matmul));
        }
        if (!skip.contains("dispatch")) {
            report.section("dispatch", () -> DispatchSection.run(w));
        }
        if (!skip.contains("batching")) {
            report.section("batching", () -> BatchingSection.run(w));
        }
        if (!skip.contains("threads")) {
            report.section("threads", () -> ThreadsSection.run(w));
        }
        if (!skip.contains("sweep")) {
            report.section("ablation_sweep", () -> SweepSection.run(w, sizes.sweepDocs()));
        }
        if (!skip.contains("tsne")) {
            report.section("tsne", () -> TsneSection.run(sizes.tsneSizes(), c.expertChoiceWidth()));
        }
        report.put("peak_rss_mb", Rss.peakMb());
    }

    /** Bytes of the checkpoint's safetensors files; 0 for a random-init or embedded model. */
    private long checkpointBytes() throws IOException {
        Path dir = loaded.configFile().getParent();
        if (dir == null || !loaded.description().equals(dir.toString())) {
            return 0;
        }
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".safetensors")).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
