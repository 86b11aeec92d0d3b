package dev.routelens.cli;

import dev.routelens.study.Tokenized;
import dev.routelens.study.StageTimer;
import dev.routelens.study.Progress;
import dev.routelens.study.LoadedModel;
import dev.routelens.study.Figure1Plots;
import dev.routelens.core.UserError;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.routelens.embed.Embedding;
import dev.routelens.embed.Pca;
import dev.routelens.embed.QualityReport;
import dev.routelens.embed.Tsne;
import dev.routelens.embed.TsneConfig;
import dev.routelens.embed.TsneMethod;
import dev.routelens.core.AtomicFiles;
import dev.routelens.core.OutputLock;
import dev.routelens.routing.ExpertChoiceTable;
import dev.routelens.routing.LabeledTokens;
import dev.routelens.routing.RoutingPass;
import dev.routelens.samples.ErrorsCsv;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The Figure 1 pipeline: samples -> tokens -> gate capture -> E_T -> t-SNE -> metrics -> plots.
 * Every file is written atomically; the routing pass checkpoints each batch under
 * {@code .checkpoint/} so {@code --resume} loses no finished work, and {@link RunRecord} keeps a resume to the
 * same run.
 */
final class Figure1Job {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ModelOptions modelOptions;
    private final SampleOptions sampleOptions;
    private final RunRecord record;
    private final Path out;
    private final boolean resume;
    private final long seed;
    private final int dims;
    private final double perplexity;
    private final int iterations;
    private final String method;
    private final int batchTokens;
    private final int batchDocs;

    /** Checks every t-SNE and batching option here, so that none fails after the documents are routed. */
    Figure1Job(ModelOptions modelOptions, SampleOptions sampleOptions, RunRecord record, Path out, boolean resume, long seed, int dims,
               double perplexity, int iterations, String method, int batchTokens, int batchDocs) {
        if (dims != 2 && dims != 3) {
            throw new UserError("--dims must be 2 or 3, got " + dims);
        }
        if (!(perplexity >= 1) || Double.isInfinite(perplexity)) { // NaN fails the first test
            throw new UserError("--perplexity must be a finite number >= 1, got " + perplexity);
        }
        if (iterations < 1) {
            throw new UserError("--iterations must be >= 1, got " + iterations);
        }
        if (batchTokens < 1) {
            throw new UserError("--batch-tokens must be >= 1, got " + batchTokens);
        }
        if (batchDocs < 1) {
            throw new UserError("--batch-docs must be >= 1, got " + batchDocs);
        }
        this.modelOptions = modelOptions;
        this.sampleOptions = sampleOptions;
        this.record = record;
        this.out = out;
        this.resume = resume;
        this.seed = seed;
        this.dims = dims;
        this.perplexity = perplexity;
        this.iterations = iterations;
        this.method = method.toLowerCase(Locale.ROOT);
        this.batchTokens = batchTokens;
        this.batchDocs = batchDocs;
        if (!List.of("tsne", "pca", "tsne-exact", "tsne-bh").contains(this.method)) {
            throw new UserError("--method must be tsne, tsne-exact, tsne-bh or pca, got '" + method + "'");
        }
    }

    /**
     * Everything that can fail cheaply fails before the model loads: the options, config.json, the output
     * folder (held for the whole run, so a second run on it is refused), the sample set and what the tokenizer
     * leaves of it.
     */
    void run() throws Exception {
        long start = System.nanoTime();
        StageTimer timer = new StageTimer();
        sampleOptions.validate();
        modelOptions.check();
        if (resume) {
            OutputPaths.runFolder("figure1", null, out);
        }
        try (OutputLock lock = OutputPaths.holdFolder(resume ? "--resume" : "--out", out)) {
            run(start, timer);
        }
    }

    private void run(long start, StageTimer timer) throws Exception {
        SampleSet samples;
        try (var s = timer.stage("samples")) {
            samples = sampleOptions.readFor(seed, SampleRequirements.FIGURE1, out);
        }
        Tokenized tokens;
        try (var s = timer.stage("tokenize")) {
            tokens = Tokenized.of(samples, modelOptions.tokenizer());
        }
        Optional<Path> errorsCsv = tokens.writeErrors(out);
        tokens.require(SampleRequirements.FIGURE1, errorsCsv);
        List<LabeledTokens> docs = tokens.docs();
        Path checkpoint = record.withDocuments(docs).with("model", modelOptions.identity()).begin(out, resume);
        Map<String, Object> run = new LinkedHashMap<>();
        try (LoadedModel loaded = load(timer)) {
            var config = loaded.model().config();
            RoutingPass pass = new RoutingPass(loaded.probe().batchLimits(batchTokens, batchDocs));
            RoutingPass.Result result;
            try (var s = timer.stage("routing"); Progress bar = new Progress("routing", pass.progressUnits(docs))) {
                if (loaded.streaming() != null) {
                    loaded.streaming().attach(bar, false);
                }
                result = pass.run(docs, null, checkpoint.resolve("routing.jsonl"), bar);
            }
            ExpertChoiceTable.Builder table = ExpertChoiceTable.builder(config);
            for (int d = 0; d < docs.size(); d++) {
                table.add(docs.get(d).id(), docs.get(d).label(), docs.get(d).kind(), result.expertChoice(d));
            }
            ExpertChoiceTable choices = table.build();
            choices.writeCsv(out.resolve("expert_choice.csv"));
            choices.writeClassMeansCsv(out.resolve("expert_choice_class_means.csv"));

            double[][] high = choices.vectors();
            String[] labels = choices.labels().toArray(String[]::new);
            Embedding embedding;
            try (var s = timer.stage("embedding")) {
                embedding = embed(high);
            }
            writeCoordinates(out.resolve("tsne.csv"), choices, embedding);
            QualityReport quality;
            try (var s = timer.stage("metrics")) {
                quality = QualityReport.of(high, embedding.coords(), labels);
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("documents", docs.size());
            metrics.put("embedding", embedding.method());
            metrics.put("dims", dims);
            metrics.put("quality", quality);
            AtomicFiles.write(out.resolve("metrics.json"), w -> JSON.writeValue(w, metrics));
            try (var s = timer.stage("plots")) {
                Figure1Plots.write(out, choices, embedding);
            }
            run.put("model", loaded.description());
            run.put("config_sha256", loaded.configDigest());
            run.put("device", loaded.model().device().toString());
            run.put("dtype", loaded.model().precision().name().toLowerCase(Locale.ROOT));
            run.put("torch_threads", dev.routelens.model.TorchThreads.current());
            run.put("expert_dispatch", loaded.model().dispatch().name().toLowerCase(Locale.ROOT));
            run.put("samples", samples.source());
            run.put("counts", choices.classCounts());
            run.put("rejected", tokens.errors().size());
            run.put("chunked_documents", java.util.Arrays.stream(result.chunks()).filter(c -> c > 1).count());
            run.put("padding_fraction", result.paddingFraction());
            run.put("resumed_batches", result.resumedBatches());
            if (loaded.streaming() != null) {
                Map<String, Object> stream = loaded.streaming().record();
                stream.put("resumed_layers", result.resumedLayers());
                run.put("stream", stream);
            }
            run.put("seed", seed);
            run.put("embedding", embedding.method());
            run.put("perplexity_requested", perplexity);
            run.put("versions", Versions.all());
            run.put("stage_seconds", timer.seconds());
            run.put("wall_seconds", (System.nanoTime() - start) / 1e9);
            AtomicFiles.write(out.resolve("run.json"), w -> JSON.writeValue(w, run));
            summary(choices, quality, tokens, errorsCsv, result);
        }
    }

    private LoadedModel load(StageTimer timer) throws Exception {
        try (var s = timer.stage("load_model")) {
            return modelOptions.load();
        }
    }

    private Embedding embed(double[][] high) {
        if (method.equals("pca")) {
            return Pca.fit(high, dims);
        }
        TsneMethod m = switch (method) {
            case "tsne-exact" -> TsneMethod.EXACT;
            case "tsne-bh" -> TsneMethod.BARNES_HUT;
            default -> TsneMethod.AUTO;
        };
        TsneConfig c = new TsneConfig(dims, perplexity, iterations, TsneConfig.DEFAULT_LEARNING_RATE, seed, m,
                TsneConfig.DEFAULT_THETA);
        return Tsne.fit(high, c);
    }

    private void writeCoordinates(Path file, ExpertChoiceTable choices, Embedding embedding) throws IOException {
        String[] header = dims == 3 ? new String[] {"id", "label", "x", "y", "z"} : new String[] {"id", "label", "x", "y"};
        AtomicFiles.write(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header).build())) {
                double[][] c = embedding.coords();
                for (int i = 0; i < c.length; i++) {
                    Object[] row = new Object[2 + dims];
                    row[0] = choices.ids().get(i);
                    row[1] = choices.labels().get(i);
                    for (int k = 0; k < dims; k++) {
                        row[2 + k] = c[i][k];
                    }
                    p.printRecord(row);
                }
            }
        });
    }

    private void summary(ExpertChoiceTable choices, QualityReport q, Tokenized tokens, Optional<Path> errorsCsv,
                         RoutingPass.Result result) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("figure1: %d documents, E_T width %d (%d MoE layers x %d experts)%n", choices.size(),
                choices.width(), choices.layers().length, choices.experts()));
        Map<String, Integer> counts = choices.classCounts();
        for (String label : dev.routelens.viz.ClassStyle.order(List.copyOf(counts.keySet()))) {
            s.append(String.format("  %-12s %4d%n", label, counts.get(label)));
        }
        if (!tokens.errors().isEmpty()) {
            s.append(String.format("  rejected     %4d %s%n", tokens.errors().size(), ErrorsCsv.seeAlso(errorsCsv)));
        }
        s.append(String.format("  silhouette   E_T %.3f (cosine %.3f)   embedding %.3f%n", q.silhouetteHighEuclidean(),
                q.silhouetteHighCosine(), q.silhouetteLow()));
        s.append(String.format("  kNN (k=%d)   E_T %.3f   embedding %.3f%n", q.knnK(), q.knnAccuracyHigh(), q.knnAccuracyLow()));
        s.append(String.format("  trustworthiness (k=%d) %.3f%n", q.trustworthinessK(), q.trustworthiness()));
        if (result.resumedBatches() > 0) {
            s.append(String.format("  resumed %d finished batches from the checkpoint%n", result.resumedBatches()));
        }
        if (result.resumedLayers() > 0) {
            s.append(String.format("  resumed %d finished layers from the checkpoint%n", result.resumedLayers()));
        }
        s.append("  outputs in ").append(out.toAbsolutePath()).append(": expert_choice.csv tsne.csv figure1.png figure1.svg")
                .append(" expert_usage.png metrics.json run.json").append(System.lineSeparator());
        System.out.print(s);
    }
}
