package dev.routelens.cli;

import dev.routelens.model.StreamControl;
import dev.routelens.routing.Ablation;
import dev.routelens.routing.AblationMode;
import dev.routelens.routing.AblationResult;
import dev.routelens.routing.AblationStudy;
import dev.routelens.routing.AblationSweep;
import dev.routelens.samples.SampleSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code routelens ablate}: knock out experts and measure NLL and routing changes per class. */
@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = "Knock out one expert, or sweep every (layer, expert), and measure per-class NLL and routing shifts.")
public final class AblateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    SampleOptions sampleOptions = new SampleOptions();

    static final class Target {
        @ArgGroup(exclusive = false)
        Single single;

        @Option(names = "--sweep", description = "Every (layer, expert) pair (every layer for top-r).")
        boolean sweep;
    }

    static final class Single {
        @Option(names = "--layer", required = true)
        int layer;

        @Option(names = "--expert", required = true)
        int expert;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--mode", defaultValue = "reroute", paramLabel = "reroute|zero|top-r", description = "Ablation mode (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--r", defaultValue = "1", description = "r for top-r (default: ${DEFAULT-VALUE}).")
    int r;

    @Option(names = "--no-residual-cache", description = "Re-run whole forward passes in a sweep (the slow reference path).")
    boolean noResidualCache;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for --per-class sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue an interrupted --sweep in DIR (same inputs, model and mode).")
    Path resume;

    @Override
    public Integer call() throws Exception {
        AblationMode m = AblationMode.parse(mode);
        out = CheckpointDir.outputDir("ablate", out, resume);
        SampleSet samples = sampleOptions.read(seed);
        try (LoadedModel loaded = modelOptions.load()) {
            Tokenized tokens = Tokenized.of(samples, loaded.tokenizer());
            tokens.writeErrors(out);
            var config = loaded.model().config();
            AblationStudy study = new AblationStudy(loaded.probe());
            List<AblationResult> results;
            if (target.sweep) {
                AblationSweep sweep;
                try (Progress bar = new Progress("ablate sweep", study.sweepRuns(tokens.docs(), m))) {
                    if (loaded.streaming() != null) {
                        loaded.streaming().attach(bar, false);
                    }
                    sweep = study.sweep(tokens.docs(), m, r, !noResidualCache, bar,
                            CheckpointDir.prepare(out, resume != null).resolve("sweep-" + m.id() + ".state"));
                }
                results = sweep.results();
                AblationPlots.write(out, sweep);
            } else {
                Ablation a = new Ablation(target.single.layer, target.single.expert, m, m == AblationMode.TOP_R ? r : 0);
                a.check(config);
                long units = 2 * StreamControl.tokenParts(config, tokens.docs().stream().mapToLong(d -> d.ids().length).sum());
                try (Progress bar = loaded.streaming() == null ? null : new Progress("ablate", units)) {
                    if (bar != null) {
                        loaded.streaming().attach(bar, true);
                    }
                    results = List.of(study.run(tokens.docs(), a));
                }
            }
            AblationSweep.writeResultsCsv(out.resolve("ablation.csv"), results);
            AblationSweep.writeShiftCsv(out.resolve("routing_shift.csv"), results);
            if (results.size() == 1) {
                for (AblationResult.ClassNll c : results.get(0).classes()) {
                    System.out.printf("  %-12s NLL %.4f -> %.4f (delta %+.4f, %d tokens)%n", c.label(), c.nllBase(),
                            c.nllAblated(), c.delta(), c.tokens());
                }
            }
            System.out.printf("ablate: %d ablation(s) x %d documents -> %s%n", results.size(), tokens.docs().size(),
                    out.resolve("ablation.csv").toAbsolutePath());
        }
        return 0;
    }
}
