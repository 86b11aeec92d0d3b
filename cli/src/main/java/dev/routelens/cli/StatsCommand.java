package dev.routelens.cli;

import dev.routelens.core.OutputLock;
import dev.routelens.core.UserError;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.study.LoadedModel;
import dev.routelens.study.OutputPaths;
import dev.routelens.study.StatsResult;
import dev.routelens.study.StatsSettings;
import dev.routelens.study.StatsStudy;
import dev.routelens.study.SavedFiles;
import dev.routelens.study.StageTimer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code routelens stats}: routing metrics per layer and class. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Routing metrics per MoE layer and class.",
            "Expert share, consecutive-token repetition, vocabulary specialisation, co-activation, load balance,",
            "routing entropy, domain-expert mutual information, domain specialisation, layer-to-layer transitions,",
            "token specialisation (input, true next and predicted next token) and expert saliency (REAP), as CSV",
            "and JSON, with plots. Dense layers (Qwen's mlp_only_layers) have no router and no rows; layers are",
            "named by their real index."})
public final class StatsCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    SampleOptions sampleOptions = new SampleOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--keep-checkpoint", description = "Keep DIR/.checkpoint/ after a successful run (default: removed; --resume of a finished run then says so and does nothing).")
    boolean keepCheckpoint;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue an interrupted run in DIR (same inputs and model).")
    Path resume;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for --per-class sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--layer", description = "MoE layer for the expert-share and co-activation plots (default: the last MoE layer).")
    Integer layer;

    @Option(names = "--min-token-count", paramLabel = "N", defaultValue = "5",
            description = "Fewest tokens a token id or key needs to count in vocabulary and token specialisation (default: ${DEFAULT-VALUE}).")
    int minTokenCount;

    @Option(names = "--against-sweep", paramLabel = "DIR",
            description = "An 'ablate --sweep' output folder (or its ablation.csv) on the same model: writes saliency_vs_sweep.csv, Spearman's rho of expert saliency against each expert's NLL change.")
    Path sweep;

    @Override
    public Integer call() throws Exception {
        StageTimer timer = new StageTimer();
        if (layer != null && layer < 0) {
            throw new UserError("--layer must be a layer index >= 0, got " + layer);
        }
        sampleOptions.validate();
        StatsSettings settings = new StatsSettings(minTokenCount, sweep); // refused now, before any work
        out = OutputPaths.runFolder("stats", out, resume);
        int chartLayer = StatsStudy.chartLayer(modelOptions.check(), layer); // config.json only: fails now
        try (OutputLock lock = OutputPaths.holdFolder(resume != null ? "--resume" : "--out", out)) {
            if (resume == null) {
                RunRecord.startFresh(out);
            }
            run(chartLayer, settings, timer);
            RunRecord.finish(out, keepCheckpoint);
        }
        return 0;
    }

    private void run(int chartLayer, StatsSettings settings, StageTimer timer) throws Exception {
        PreparedRun run = PreparedRun.of("stats", RunRecord.of(spec), modelOptions, sampleOptions, seed,
                SampleRequirements.ANY, out, resume != null, timer);
        if (run == null) {
            return;
        }
        LoadedModel loaded = PreparedRun.load(modelOptions, timer);
        try (loaded) {
            StatsResult result = StatsStudy.run(loaded, run.samples(), run.tokens(), chartLayer, settings,
                    run.checkpoint().resolve("stats.jsonl"), timer).withInvocation(CommandLines.of(spec), run.record().inputs());
            SavedFiles saved = result.save(out);
            System.out.printf("stats: %d documents, %d classes%n", result.documents(),
                    result.report().classLabels().size() - 1);
            System.out.print(saved.summary());
        }
    }
}
