package dev.routelens.study;

import dev.routelens.core.UserError;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.TorchThreads;
import dev.routelens.routing.LayerClassMetrics;
import dev.routelens.routing.MoeLayers;
import dev.routelens.routing.RoutingMetrics;
import dev.routelens.routing.RoutingPass;
import dev.routelens.routing.RoutingReport;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSet;
import dev.routelens.routing.SaliencyAgreement;
import dev.routelens.routing.TokenSpecialisation;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Routing metrics per MoE layer and class as a library call: expert share, repetition, specialisation,
 * co-activation, load balance, entropy, domain-expert mutual information, domain specialisation, layer-to-layer
 * transitions, token specialisation keyed three ways and expert saliency (checked against a sweep when given). The CLI's {@code stats} and the facade's {@code stats(...)} both run it
 * and save its {@link StatsResult}.
 */
public final class StatsStudy {
    private StatsStudy() {
    }

    /**
     * The layer to plot: {@code layer}, which must be an MoE layer of {@code config}, or the last MoE layer when
     * null. Refused naming the MoE layers before any work.
     */
    public static int chartLayer(MoeConfig config, Integer layer) {
        int[] moeLayers = config.moeLayers();
        if (layer == null) {
            return moeLayers[moeLayers.length - 1];
        }
        if (layer < 0) {
            throw new UserError("--layer must be a layer index >= 0, got " + layer);
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

    /**
     * Runs the metrics over {@code tokens}, with a progress bar on stderr.
     *
     * @param chartLayer the MoE layer the plots show ({@link #chartLayer})
     * @param checkpoint the pass's per-batch checkpoint file, or null for none
     */
    public static StatsResult run(LoadedModel loaded, SampleSet samples, Tokenized tokens, int chartLayer,
                                  Path checkpoint) throws Exception {
        return run(loaded, samples, tokens, chartLayer, checkpoint, new StageTimer());
    }

    /** {@link #run(LoadedModel, SampleSet, Tokenized, int, Path)} adding to {@code timer}, started with the run. */
    public static StatsResult run(LoadedModel loaded, SampleSet samples, Tokenized tokens, int chartLayer,
                                  Path checkpoint, StageTimer timer) throws Exception {
        return run(loaded, samples, tokens, chartLayer, StatsSettings.defaults(), checkpoint, timer);
    }

    /**
     * {@link #run(LoadedModel, SampleSet, Tokenized, int, Path, StageTimer)} with {@code settings}: the minimum token
     * count, and a sweep to check saliency against (read and checked before the model runs).
     */
    public static StatsResult run(LoadedModel loaded, SampleSet samples, Tokenized tokens, int chartLayer,
                                  StatsSettings settings, Path checkpoint, StageTimer timer) throws Exception {
        tokens.require(SampleRequirements.ANY, java.util.Optional.empty());
        var config = loaded.model().config();
        int[] moeLayers = config.moeLayers();
        List<SaliencyAgreement.SweepDelta> sweep = List.of();
        if (settings.sweep() != null) {
            if (loaded.model().isStreamed()) {
                throw new UserError("--against-sweep needs expert saliency, which a layer-streamed run does not measure"
                        + " (it gathers no expert outputs); run stats in memory, or without --against-sweep");
            }
            try {
                sweep = SaliencyAgreement.readSweep(settings.sweep());
            } catch (java.io.IOException e) {
                throw new UserError(e.getMessage());
            }
        }
        RoutingMetrics metrics = new RoutingMetrics(moeLayers, config.numExperts(), config.topK(), settings.minTokenCount());
        RoutingPass pass = new RoutingPass(loaded.probe());
        try (var s = timer.stage("routing"); Progress bar = new Progress("stats", pass.progressUnits(tokens.docs()))) {
            if (loaded.streaming() != null) {
                loaded.streaming().attach(bar, false);
            }
            pass.run(tokens.docs(), metrics, checkpoint, bar);
        }
        RoutingReport report = metrics.report();
        List<SaliencyAgreement> agreement = sweep.isEmpty() ? List.of() : SaliencyAgreement.of(report.expertSaliency(), sweep);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", loaded.description());
        summary.put("config_sha256", loaded.configDigest());
        summary.put("samples", samples.source());
        summary.put("torch_threads", TorchThreads.current());
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
        Map<String, Object> specialisation = new LinkedHashMap<>();
        for (TokenSpecialisation t : report.tokenSpecialisation()) {
            specialisation.put(t.key().id(), java.util.Arrays.stream(t.overall()).filter(Double::isFinite).average().orElse(Double.NaN));
        }
        summary.put("token_specialisation_layer_mean", specialisation);
        summary.put("token_specialisation_random_baseline", (double) config.topK() / config.numExperts());
        summary.put("min_token_count", settings.minTokenCount());
        if (report.outputStudiesMissing() != null) {
            summary.put("output_studies", report.outputStudiesMissing());
        }
        if (!agreement.isEmpty()) {
            summary.put("saliency_vs_sweep", agreement);
        }
        if (loaded.streaming() != null) {
            summary.put("stream", loaded.streaming().record());
        }
        RunJson run = RunJson.start("stats", loaded, samples, timer).put("documents", tokens.docs().size())
                .put("rejected", tokens.errors().size()).put("chart_layer", chartLayer)
                .put("min_token_count", settings.minTokenCount());
        if (settings.sweep() != null) {
            run.put("against_sweep", settings.sweep().toString());
        }
        if (loaded.streaming() != null) {
            run.put("stream", loaded.streaming().record());
        }
        return new StatsResult(report, agreement, summary, chartLayer, tokens.errors(), tokens.docs().size(), run, timer);
    }
}
