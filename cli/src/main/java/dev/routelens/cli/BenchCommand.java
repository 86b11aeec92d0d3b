package dev.routelens.cli;

import dev.routelens.core.UserError;
import dev.routelens.study.OutputPaths;
import dev.routelens.study.Tokenized;
import dev.routelens.study.LoadedModel;
import dev.routelens.cli.bench.BenchReport;
import dev.routelens.cli.bench.BenchRun;
import dev.routelens.cli.bench.BenchSizes;
import dev.routelens.cli.bench.SoakBench;
import dev.routelens.core.OutputLock;
import dev.routelens.model.ContextWindows;
import dev.routelens.model.MoeConfig;
import dev.routelens.routing.LabeledTokens;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code routelens bench}: parses and checks the options, loads the model and the documents, and hands them
 * to {@link BenchRun}, which prints each section's figures as it finishes and writes them as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark forward passes, capture overhead, dispatch, batching, ablation sweeps, t-SNE and loading"
                + " (about 2 minutes on 2 cores; --full for the long run's sizes).",
            "With --stream: one layer-streamed pass, split into weight building and compute, against the matmul rate."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    SampleOptions sampleOptions = new SampleOptions();

    @Option(names = "--full", description = "The long run (about 25 minutes on 2 cores): --docs 96 --repeats 5 --sweep-docs 12"
            + " --tsne-sizes 600,2000,5000 unless given.")
    boolean full;

    @Option(names = "--docs", description = "Documents per forward measurement (default: 32; 96 with --full).")
    Integer docs;

    @Option(names = "--repeats", description = "Timed repeats per figure, after one warm-up (default: 3; 5 with --full).")
    Integer repeats;

    @Option(names = "--batch", description = "With --tokens: a synthetic batch of B documents (for SciDFM-shaped models).")
    Integer batch;

    @Option(names = "--tokens", description = "With --batch: tokens per synthetic document.")
    Integer tokens;

    @Option(names = "--tsne-sizes", split = ",", description = "t-SNE sizes (default: 600; 600,2000,5000 with --full).")
    List<Integer> tsneSizes;

    @Option(names = "--sweep-docs", description = "Documents in the ablation-sweep measurement (default: 1; 12 with --full).")
    Integer sweepDocs;

    @Option(names = "--skip", split = ",", description = "Sections to skip: forward,dispatch,batching,threads,sweep,tsne,load,matmul.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--memory", split = ",", paramLabel = "N1,N2", description = "Only measure memory: gate capture over N1 then N2 documents (e.g. 1000,5000), printing peak RSS and heap after each.")
    List<Integer> memory;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Where to write the figures. Its folder is held for the run: another run writing into it at the same time is refused.")
    Path out;

    @Option(names = "--soak", paramLabel = "N", description = "Instead of timing: N runs of figure1 and ablate --sweep on SciDFM-nano, each killed with SIGKILL at a random moment and resumed; every result must equal an uninterrupted run's byte for byte (exit 1 otherwise).")
    Integer soak;

    @Option(names = "--soak-seed", defaultValue = "1", paramLabel = "S", description = "Seed of --soak's kill moments (default: ${DEFAULT-VALUE}).")
    long soakSeed;

    /** The documents to measure on; null with --batch and --tokens (synthetic documents). */
    private SampleSet samples;

    @Override
    public Integer call() throws Exception {
        if (soak != null) {
            return soak();
        }
        BenchSizes sizes = checkOptions();
        MoeConfig config = modelOptions.check();
        if (tokens != null && tokens > config.maxPositions()) {
            throw new UserError("--tokens " + tokens + " is more than the model's context of " + config.maxPositions());
        }
        if (memory != null && modelOptions.streamed()) {
            throw new UserError("--memory measures in-memory gate capture; this run streams (--stream, or a model too"
                    + " large for memory)");
        }
        try (OutputLock lock = OutputPaths.holdFileFolder("--out", out)) {
            BenchReport report = new BenchReport(out);
            long loadStart = System.nanoTime();
            try (LoadedModel loaded = modelOptions.load()) {
                BenchRun run = new BenchRun(loaded, report, skip);
                run.header((System.nanoTime() - loadStart) / 1e9);
                if (loaded.streaming() != null) {
                    run.stream(documents(loaded, sizes.docs()));
                } else if (memory != null) {
                    run.memory(usable(loaded).docs(), memory);
                } else {
                    run.sections(documents(loaded, sizes.docs()), sizes);
                }
            }
            report.finish();
            return 0;
        }
    }

    /**
     * {@code --soak N}: the kill-and-resume soak ({@link SoakBench}) on the embedded model, which it runs in child
     * JVMs; model, sample and timing options do not apply. Its runs go in a folder beside {@code --out}, kept
     * only when a run's results differed.
     */
    private int soak() throws Exception {
        BenchSizes.positive("--soak", soak);
        if (modelOptions.model != null || modelOptions.randomInit != null || sampleOptions.given() || memory != null
                || batch != null || tokens != null) {
            throw new UserError("--soak runs figure1 and ablate on the embedded SciDFM-nano in child processes; it takes"
                    + " no model, sample, --memory, --batch or --tokens options");
        }
        try (OutputLock lock = OutputPaths.holdFileFolder("--out", out)) {
            Path work = out.toAbsolutePath().resolveSibling(out.getFileName() + ".soak");
            Map<String, Object> result = new SoakBench(soak, soakSeed, work).run();
            BenchReport report = new BenchReport(out);
            report.keep("soak", result);
            report.save();
            int mismatched = (Integer) result.get("mismatched");
            System.out.printf("soak: %d of %d killed-and-resumed runs identical to an uninterrupted run%s -> %s%n",
                    soak - mismatched, soak, mismatched == 0 ? "" : "; the runs are kept in " + work, out);
            return mismatched == 0 ? 0 : 1;
        }
    }

    /**
     * Every option on its own and in combination, and the sample set, before the model loads: no figure can
     * fail after minutes of measuring because of a value known to be wrong at the start. Returns the sizes.
     */
    private BenchSizes checkOptions() {
        BenchSizes sizes = (full ? BenchSizes.FULL : BenchSizes.DEFAULT).with(docs, repeats, sweepDocs, tsneSizes);
        List<String> unknown = skip.stream().filter(x -> !BenchRun.SECTIONS.contains(x)).toList();
        if (!unknown.isEmpty()) {
            throw new UserError("--skip: no section " + String.join(", ", unknown) + "; the sections are "
                    + String.join(", ", BenchRun.SECTIONS));
        }
        if (memory != null) {
            int previous = 0;
            for (int n : memory) {
                if (n <= previous) {
                    throw new UserError("--memory takes increasing positive document counts such as 1000,5000, got "
                            + memory.stream().map(String::valueOf).collect(Collectors.joining(",")));
                }
                previous = n;
            }
        }
        if ((batch == null) != (tokens == null)) {
            throw new UserError("--batch and --tokens go together (a synthetic batch of B documents of T tokens)");
        }
        if (batch != null) {
            BenchSizes.positive("--batch", batch);
            BenchSizes.positive("--tokens", tokens);
            if (memory != null) {
                throw new UserError("--memory measures the sample documents; it does not take --batch and --tokens");
            }
            if (sampleOptions.given()) {
                throw new UserError("--batch and --tokens make synthetic documents; the sample options"
                        + " (--samples, --corpus, --labels, --per-class) do not apply");
            }
            return sizes;
        }
        samples = sampleOptions.read(42);
        return sizes;
    }

    /** The first piece ({@link ContextWindows}) of the first {@code count} sample documents, or the synthetic batch of --batch x --tokens. */
    private List<int[]> documents(LoadedModel loaded, int count) {
        int context = loaded.model().config().maxPositions();
        List<int[]> ids = new ArrayList<>();
        if (batch != null) { // checked with the other options
            Random r = new Random(7);
            for (int b = 0; b < batch; b++) {
                int[] d = new int[tokens]; // [T] random token ids
                for (int t = 0; t < tokens; t++) {
                    d[t] = r.nextInt(loaded.tokenizer().vocabSize());
                }
                ids.add(d);
            }
            return ids;
        }
        for (LabeledTokens d : usable(loaded).docs()) {
            if (ids.size() == count) {
                break;
            }
            ids.add(ContextWindows.cut(d.ids(), context).get(0)); // the first piece: timings per document stay bounded
        }
        return ids;
    }

    /** The sample documents tokenized; refused when the tokenizer leaves none. */
    private Tokenized usable(LoadedModel loaded) {
        Tokenized t = Tokenized.of(samples, loaded.tokenizer());
        t.require(SampleRequirements.ANY, Optional.empty());
        return t;
    }
}
