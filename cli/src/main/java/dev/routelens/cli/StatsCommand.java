package dev.routelens.cli;

import dev.routelens.study.Tokenized;
import dev.routelens.study.Progress;
import dev.routelens.study.LoadedModel;
import dev.routelens.study.StatsPlots;
import dev.routelens.study.Json;
import dev.routelens.core.UserError;
import dev.routelens.model.MoeConfig;
import dev.routelens.core.AtomicFiles;
import dev.routelens.core.OutputLock;
import dev.routelens.routing.LayerClassMetrics;
import dev.routelens.routing.MoeLayers;
import dev.routelens.routing.RoutingMetrics;
import dev.routelens.routing.RoutingPass;
import dev.routelens.routing.RoutingReport;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSet;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code routelens stats}: routing metrics per layer and class. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Routing metrics per MoE layer and class.",
            "Expert share, consecutive-token repetition, vocabulary specialisation, co-activation, load balance",
            "and routing entropy, as CSV and JSON, with plots for one layer. Dense layers (Qwen's mlp_only_layers)",
            "have no router and no rows; layers are named by their real index."})
public final class StatsCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    SampleOptions sampleOptions = new SampleOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue an interrupted run in DIR (same inputs and model).")
    Path resume;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for --per-class sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--layer", description = "MoE layer for the expert-share and co-activation plots (default: the last MoE layer).")
    Integer layer;

    @Override
    public Integer call() throws Exception {
        if (layer != null && layer < 0) {
            throw new UserError("--layer must be a layer index >= 0, got " + layer);
        }
        sampleOptions.validate();
        out = OutputPaths.runFolder("stats", out, resume);
        int chartLayer = chartLayer(modelOptions.check()); // config.json only: a layer the model lacks fails now
        try (OutputLock lock = OutputPaths.holdFolder(resume != null ? "--resume" : "--out", out)) {
            run(chartLayer);
        }
        return 0;
    }

    private void run(int chartLayer) throws Exception {
        SampleSet samples = sampleOptions.readFor(seed, SampleRequirements.ANY, out);
        Tokenized tokens = Tokenized.of(samples, modelOptions.tokenizer());
        tokens.require(SampleRequirements.ANY, tokens.writeErrors(out));
        Path checkpoint = RunRecord.of(spec).withDocuments(tokens.docs()).with("model", modelOptions.identity())
                .begin(out, resume != null);
        try (LoadedModel loaded = modelOptions.load()) {
            var config = loaded.model().config();
            int[] moeLayers = config.moeLayers();
            RoutingMetrics metrics = RoutingMetrics.forConfig(config);
            RoutingPass pass = new RoutingPass(loaded.probe());
            try (Progress bar = new Progress("stats", pass.progressUnits(tokens.docs()))) {
                if (loaded.streaming() != null) {
                    loaded.streaming().attach(bar, false);
                }
                pass.run(tokens.docs(), metrics, checkpoint.resolve("stats.jsonl"), bar);
            }
            RoutingReport report = metrics.report();
            report.writeMetricsCsv(out.resolve("routing_metrics.csv"));
            report.writeCoActivationCsv(out.resolve("coactivation.csv"));
            report.writeJson(out.resolve("routing_report.json"));
            StatsPlots.write(out, report, chartLayer);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("model", loaded.description());
            summary.put("config_sha256", loaded.configDigest());
            summary.put("samples", samples.source());
            summary.put("torch_threads", dev.routelens.model.TorchThreads.current());
            summary.put("documents", tokens.docs().size());
            summary.put("rejected", tokens.errors().size());
            summary.put("random_baseline_top1", report.randomBaselineTop1());
            summary.put("random_baseline_either", report.randomBaselineEither());
            Map<String, Object> perClass = new LinkedHashMap<>();
            for (String label : report.classLabels()) {
                double rep1 = 0;
                double repK = 0;
                double entropy = 0;
                double balance = 0;
                for (int l : moeLayers) {
                    LayerClassMetrics m = report.row(label, l);
                    rep1 += m.repetitionTop1();
                    repK += m.repetitionEither();
                    entropy += m.entropy();
                    balance += m.loadBalance();
                }
                int n = moeLayers.length;
                perClass.put(label, Map.of("mean_repetition_top1", rep1 / n, "mean_repetition_either", repK / n,
                        "mean_entropy_nats", entropy / n, "mean_load_balance", balance / n));
            }
            summary.put("per_class_layer_means", perClass);
            if (loaded.streaming() != null) {
                summary.put("stream", loaded.streaming().record());
            }
            AtomicFiles.write(out.resolve("summary.json"), w -> Json.MAPPER.writeValue(w, summary));
            System.out.printf("stats: %d documents, %d classes -> %s (routing_metrics.csv, coactivation.csv, summary.json)%n",
                    tokens.docs().size(), report.classLabels().size() - 1, out.toAbsolutePath());
        }
    }

    /** The layer to plot: {@code --layer}, which must be an MoE layer, or the last MoE layer. Checked before any work. */
    private int chartLayer(MoeConfig config) {
        int[] moeLayers = config.moeLayers();
        if (layer == null) {
            return moeLayers[moeLayers.length - 1];
        }
        if (layer >= config.numLayers()) {
            throw new UserError("--layer " + layer + " but the model has " + config.numLayers() + " layers");
        }
        if (!config.isMoeLayer(layer)) {
            throw new UserError("--layer " + layer + " is a dense layer of this " + config.modelType()
                    + " model (no router); its MoE layers are " + MoeLayers.list(moeLayers));
        }
        return layer;
    }
}
