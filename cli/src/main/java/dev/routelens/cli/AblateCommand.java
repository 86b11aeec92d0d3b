package dev.routelens.cli;

import dev.routelens.study.OutputPaths;
import dev.routelens.study.LoadedModel;
import dev.routelens.core.UserError;
import dev.routelens.routing.Ablation;
import dev.routelens.routing.AblationMode;
import dev.routelens.core.OutputLock;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.study.AblationOutcome;
import dev.routelens.study.AblationRun;
import dev.routelens.study.SavedFiles;
import dev.routelens.study.StageTimer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code routelens ablate}: knock out experts and measure NLL and routing changes per class. */
@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = {"Knock out one expert, or sweep every (layer, expert), and measure per-class NLL and routing shifts.",
            "Modes: reroute (mask expert E's gate logit where it would be chosen: the next best takes over),",
            "zero (keep the routing, drop E's output), top-r (mask each token's r best experts; no --expert),",
            "zero-shared (replace the shared expert's contribution layers.{L}.moe.shared by zeros, at --layer L",
            "or at every MoE layer with --all-layers; no --expert; Qwen2-MoE only). Only MoE layers can be",
            "ablated (a dense layer is refused, naming the MoE layers); sweeps cover the MoE layers."})
public final class AblateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    SampleOptions sampleOptions = new SampleOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final class Target {
        @ArgGroup(exclusive = false)
        Single single;

        @Option(names = "--sweep", description = "Every (MoE layer, expert) pair (every MoE layer for top-r and zero-shared).")
        boolean sweep;

        @Option(names = "--all-layers", description = "zero-shared only: the shared expert zeroed at every MoE layer at once.")
        boolean allLayers;
    }

    static final class Single {
        @Option(names = "--layer", required = true, paramLabel = "L", description = "An MoE layer (real index).")
        int layer;

        @Option(names = "--expert", paramLabel = "E", description = "The expert (reroute and zero).")
        Integer expert;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--mode", defaultValue = "reroute", paramLabel = "reroute|zero|top-r|zero-shared", description = "Ablation mode (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--r", paramLabel = "R", description = "Experts masked per token, --mode top-r only (default: 1).")
    Integer r;

    @Option(names = "--no-residual-cache", description = "Re-run whole forward passes in a sweep (the slow reference path).")
    boolean noResidualCache;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for --per-class sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--keep-checkpoint", description = "Keep DIR/.checkpoint/ after a successful run (default: removed; --resume of a finished run then says so and does nothing).")
    boolean keepCheckpoint;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue an interrupted --sweep in DIR. Every input must be the same (options, model, documents); a difference is refused by name.")
    Path resume;

    @Override
    public Integer call() throws Exception {
        StageTimer timer = new StageTimer();
        AblationMode m = parseMode();
        if (target.allLayers && m != AblationMode.ZERO_SHARED) {
            throw new UserError("--all-layers applies to --mode zero-shared only; use --sweep for " + m.id());
        }
        if (target.single != null && m.needsExpert() && target.single.expert == null) {
            throw new UserError("--mode " + m.id() + " needs --expert");
        }
        if (target.single != null && !m.needsExpert() && target.single.expert != null) {
            throw new UserError("--mode " + m.id() + " takes no --expert (it acts on " + (m == AblationMode.TOP_R
                    ? "each token's r best experts" : "the shared expert") + ")");
        }
        if (r != null && m != AblationMode.TOP_R) {
            throw new UserError("--r applies to --mode top-r only");
        }
        if (r != null && r < 1) {
            throw new UserError("--r must be >= 1 (the experts masked per token), got " + r);
        }
        sampleOptions.validate();
        out = OutputPaths.runFolder("ablate", out, resume);
        Ablation single = planned(m, modelOptions.check()); // config.json only: a layer or expert the model lacks fails now
        try (OutputLock lock = OutputPaths.holdFolder(resume != null ? "--resume" : "--out", out)) {
            if (resume == null) {
                RunRecord.startFresh(out);
            }
            run(m, single, timer);
            RunRecord.finish(out, keepCheckpoint);
        }
        return 0;
    }

    private void run(AblationMode m, Ablation single, StageTimer timer) throws Exception {
        PreparedRun run = PreparedRun.of("ablate", RunRecord.of(spec), modelOptions, sampleOptions, seed,
                SampleRequirements.ANY, out, resume != null, timer);
        if (run == null) {
            return;
        }
        LoadedModel loaded = PreparedRun.load(modelOptions, timer);
        try (loaded) {
            AblationOutcome outcome = (target.sweep
                    ? AblationRun.sweep(loaded, run.samples(), run.tokens(), m, topR(m), !noResidualCache,
                            run.checkpoint().resolve("sweep-" + m.id() + ".state"), timer)
                    : AblationRun.each(loaded, run.samples(), run.tokens(), List.of(single), timer))
                    .withInvocation(CommandLines.of(spec), run.record().inputs());
            SavedFiles saved = outcome.save(out);
            if (outcome.results().size() == 1) {
                System.out.print(outcome.classLines());
            }
            System.out.printf("ablate: %d ablation(s) x %d documents%n", outcome.results().size(), run.tokens().docs().size());
            System.out.print(saved.summary());
        }
    }

    private int topR(AblationMode m) {
        return m == AblationMode.TOP_R ? (r == null ? 1 : r) : 0;
    }

    /**
     * The one ablation asked for (for a sweep, its first), refused by name before any work when the model
     * lacks its layer, expert or shared expert.
     */
    private Ablation planned(AblationMode m, dev.routelens.model.MoeConfig config) {
        int rr = topR(m);
        Ablation a = target.allLayers ? Ablation.zeroShared(Ablation.ALL_LAYERS)
                : target.sweep ? new Ablation(config.moeLayers()[0], 0, m, rr)
                : new Ablation(target.single.layer, target.single.expert == null ? 0 : target.single.expert, m, rr);
        try {
            a.check(config);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        return a;
    }

    private AblationMode parseMode() {
        try {
            return AblationMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
