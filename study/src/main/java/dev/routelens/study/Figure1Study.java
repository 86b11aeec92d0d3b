package dev.routelens.study;

import dev.routelens.embed.Embedding;
import dev.routelens.embed.Pca;
import dev.routelens.embed.QualityReport;
import dev.routelens.embed.Tsne;
import dev.routelens.embed.TsneConfig;
import dev.routelens.embed.TsneMethod;
import dev.routelens.routing.ExpertChoiceTable;
import dev.routelens.routing.LabeledTokens;
import dev.routelens.routing.RoutingPass;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Figure 1 pipeline as a library call: tokens -> gate capture -> E_T -> embedding -> metrics. The CLI's
 * {@code figure1} and the facade's {@code figure1(...)} both run it and save its {@link Figure1Result}, so they
 * write the same folder.
 */
public final class Figure1Study {
    private Figure1Study() {
    }

    /**
     * Runs Figure 1 on tokenised documents, with a progress bar on stderr.
     *
     * @param loaded the model
     * @param samples where the documents came from (for the run record)
     * @param tokens the documents, with the records the tokenizer refused; refused when short of Figure 1's needs
     * @param settings embedding and batching
     * @param checkpoint the routing pass's per-batch checkpoint file, or null for none
     * @param timer stage timings, which this adds to; started when the run started
     */
    public static Figure1Result run(LoadedModel loaded, SampleSet samples, Tokenized tokens, Figure1Settings settings,
                                    Path checkpoint, StageTimer timer) throws Exception {
        tokens.require(SampleRequirements.FIGURE1, java.util.Optional.empty());
        List<LabeledTokens> docs = tokens.docs();
        RoutingPass pass = new RoutingPass(loaded.probe().batchLimits(settings.batchTokens(), settings.batchDocs()));
        RoutingPass.Result routing;
        try (var s = timer.stage("routing"); Progress bar = new Progress("routing", pass.progressUnits(docs))) {
            if (loaded.streaming() != null) {
                loaded.streaming().attach(bar, false);
            }
            routing = pass.run(docs, null, checkpoint, bar);
        }
        ExpertChoiceTable.Builder table = ExpertChoiceTable.builder(loaded.model().config());
        for (int d = 0; d < docs.size(); d++) {
            table.add(docs.get(d).id(), docs.get(d).label(), docs.get(d).kind(), routing.expertChoice(d));
        }
        ExpertChoiceTable choices = table.build();
        double[][] high = choices.vectors();
        Embedding embedding;
        try (var s = timer.stage("embedding")) {
            embedding = embed(high, settings);
        }
        QualityReport quality;
        try (var s = timer.stage("metrics")) {
            quality = QualityReport.of(high, embedding.coords(), choices.labels().toArray(String[]::new));
        }
        return new Figure1Result(choices, embedding, quality, settings, tokens.errors(),
                record(loaded, samples, tokens, routing, choices, embedding, settings, timer), timer,
                routing.resumedBatches(), routing.resumedLayers(), texts(samples));
    }

    /** Document id -> the start of its text, as figure1.html's hover card shows it. */
    private static Map<String, String> texts(SampleSet samples) {
        Map<String, String> texts = new java.util.HashMap<>();
        for (var s : samples.samples()) {
            texts.putIfAbsent(s.id(), dev.routelens.viz.html.Figure1Page.cut(s.text()));
        }
        return texts;
    }

    /** The embedding {@code settings} ask for. */
    static Embedding embed(double[][] high, Figure1Settings settings) {
        if (settings.method().equals("pca")) {
            return Pca.fit(high, settings.dims());
        }
        TsneMethod m = switch (settings.method()) {
            case "tsne-exact" -> TsneMethod.EXACT;
            case "tsne-bh" -> TsneMethod.BARNES_HUT;
            default -> TsneMethod.AUTO;
        };
        return Tsne.fit(high, new TsneConfig(settings.dims(), settings.perplexity(), settings.iterations(),
                TsneConfig.DEFAULT_LEARNING_RATE, settings.seed(), m, TsneConfig.DEFAULT_THETA));
    }

    /** run.json: the core fields ({@link RunJson}) then Figure 1's own. */
    private static RunJson record(LoadedModel loaded, SampleSet samples, Tokenized tokens, RoutingPass.Result routing,
                                  ExpertChoiceTable choices, Embedding embedding, Figure1Settings settings,
                                  StageTimer timer) {
        RunJson run = RunJson.start("figure1", loaded, samples, timer);
        run.put("expert_dispatch", loaded.model().dispatch().name().toLowerCase(Locale.ROOT));
        run.put("counts", choices.classCounts());
        run.put("rejected", tokens.errors().size());
        run.put("chunked_documents", java.util.Arrays.stream(routing.chunks()).filter(c -> c > 1).count());
        run.put("padding_fraction", routing.paddingFraction());
        run.put("resumed_batches", routing.resumedBatches());
        if (loaded.streaming() != null) {
            Map<String, Object> stream = loaded.streaming().record();
            stream.put("resumed_layers", routing.resumedLayers());
            run.put("stream", stream);
        }
        run.put("seed", settings.seed());
        run.put("embedding", embedding.method());
        run.put("perplexity_requested", settings.perplexity());
        return run;
    }
}
