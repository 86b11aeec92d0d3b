package dev.routelens.study;

import dev.routelens.core.AtomicFiles;
import dev.routelens.core.OutputLock;
import dev.routelens.embed.Embedding;
import dev.routelens.embed.QualityReport;
import dev.routelens.routing.ExpertChoiceTable;
import dev.routelens.samples.ErrorsCsv;
import dev.routelens.samples.SampleError;
import dev.routelens.viz.ClassStyle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * What Figure 1 computed: E_T per document, its embedding and how well the classes separate. {@link #save} writes
 * the folder {@code ./routelens figure1 --out DIR} writes.
 */
public final class Figure1Result {
    private final ExpertChoiceTable choices;
    private final Embedding embedding;
    private final QualityReport quality;
    private final Figure1Settings settings;
    private final List<SampleError> rejected;
    private final Map<String, Object> run;
    private final StageTimer timer;
    private final int resumedBatches;
    private final int resumedLayers;
    private final Map<String, String> texts;

    Figure1Result(ExpertChoiceTable choices, Embedding embedding, QualityReport quality, Figure1Settings settings,
                  List<SampleError> rejected, Map<String, Object> run, StageTimer timer, int resumedBatches,
                  int resumedLayers, Map<String, String> texts) {
        this.choices = choices;
        this.embedding = embedding;
        this.quality = quality;
        this.settings = settings;
        this.rejected = List.copyOf(rejected);
        this.run = run;
        this.timer = timer;
        this.resumedBatches = resumedBatches;
        this.resumedLayers = resumedLayers;
        this.texts = Map.copyOf(texts);
    }

    /** Document id -> the start of its text, for figure1.html's hover card. */
    Map<String, String> texts() {
        return texts;
    }

    /** E_T, one row per document, with its MoE layers and experts. */
    public ExpertChoiceTable choices() {
        return choices;
    }

    /** The 2-D or 3-D coordinates of every document. */
    public Embedding embedding() {
        return embedding;
    }

    /** Silhouette, kNN accuracy, trustworthiness and centroid distances. */
    public QualityReport quality() {
        return quality;
    }

    /** The k and perplexity the measures used, and warnings where a small set makes them mislead. */
    public Figure1Caveats caveats() {
        return Figure1Caveats.of(choices.classCounts(), quality.knnK(), settings.perplexity(),
                embedding.stat("perplexity"));
    }

    /** The records the readers or the tokenizer refused, left out of the figure. */
    public List<SampleError> rejected() {
        return rejected;
    }

    /**
     * Writes expert_choice.csv, expert_choice_class_means.csv, tsne.csv, metrics.json, the plots, run.json,
     * figure1.html, report.html and, when records were refused, errors.csv into {@code dir}, each atomically, holding the folder while it writes:
     * another run writing there at the same time makes this fail, naming its pid.
     */
    public Path save(String dir) throws IOException {
        Path out = Path.of(dir);
        try (OutputLock lock = OutputPaths.holdFolder("save", out)) {
            save(out);
        }
        return out;
    }

    /** {@link #save(String)} into a folder the caller already holds (the CLI holds its folder for the whole run). */
    public void save(Path out) throws IOException {
        ErrorsCsv.writeIfAny(out.resolve("errors.csv"), rejected);
        choices.writeCsv(out.resolve("expert_choice.csv"));
        choices.writeClassMeansCsv(out.resolve("expert_choice_class_means.csv"));
        writeCoordinates(out.resolve("tsne.csv"));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("documents", choices.size());
        metrics.put("embedding", embedding.method());
        metrics.put("dims", settings.dims());
        metrics.put("quality", quality);
        metrics.putAll(caveats().json());
        AtomicFiles.write(out.resolve("metrics.json"), w -> Json.MAPPER.writeValue(w, metrics));
        try (var s = timer.stage("plots")) {
            Figure1Plots.write(out, choices, embedding);
        }
        Map<String, Object> record = new LinkedHashMap<>(run);
        record.put("perplexity_effective", caveats().perplexity().orElse(null));
        record.put("knn_k_effective", quality.knnK());
        record.put("stage_seconds", timer.seconds());
        record.put("wall_seconds", timer.wallSeconds());
        AtomicFiles.write(out.resolve("run.json"), w -> Json.MAPPER.writeValue(w, record));
        StudyPages.figure1(out, this, metrics); // figure1.html and report.html, which indexes the files above
    }

    private void writeCoordinates(Path file) throws IOException {
        int dims = settings.dims();
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

    /** The summary the CLI prints, naming {@code out} (the folder saved to) and {@code errorsCsv} when written. */
    public String summary(Path out, Optional<Path> errorsCsv) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("figure1: %d documents, E_T width %d (%d MoE layers x %d experts)%n", choices.size(),
                choices.width(), choices.layers().length, choices.experts()));
        Map<String, Integer> counts = choices.classCounts();
        for (String label : ClassStyle.order(List.copyOf(counts.keySet()))) {
            s.append(String.format("  %-12s %4d%n", label, counts.get(label)));
        }
        if (!rejected.isEmpty()) {
            s.append(String.format("  rejected     %4d %s%n", rejected.size(), ErrorsCsv.seeAlso(errorsCsv)));
        }
        QualityReport q = quality;
        s.append(String.format("  silhouette   E_T %.3f (cosine %.3f)   embedding %.3f%n", q.silhouetteHighEuclidean(),
                q.silhouetteHighCosine(), q.silhouetteLow()));
        s.append(String.format("  kNN (k=%d)   E_T %.3f   embedding %.3f%n", q.knnK(), q.knnAccuracyHigh(), q.knnAccuracyLow()));
        s.append(String.format("  trustworthiness (k=%d) %.3f%n", q.trustworthinessK(), q.trustworthiness()));
        for (String warning : caveats().warnings()) {
            s.append("  warning: ").append(warning).append(System.lineSeparator());
        }
        if (resumedBatches > 0) {
            s.append(String.format("  resumed %d finished batches from the checkpoint%n", resumedBatches));
        }
        if (resumedLayers > 0) {
            s.append(String.format("  resumed %d finished layers from the checkpoint%n", resumedLayers));
        }
        s.append("  outputs in ").append(out.toAbsolutePath()).append(": expert_choice.csv tsne.csv figure1.png figure1.svg")
                .append(" expert_usage.png metrics.json run.json figure1.html report.html").append(System.lineSeparator());
        return s.toString();
    }

    @Override
    public String toString() {
        return String.format("Figure1Result[%d documents, %d classes, silhouette E_T %.3f, kNN %.3f; save(dir) writes"
                + " the figure1 folder]", choices.size(), choices.classCounts().size(), quality.silhouetteHighEuclidean(),
                quality.knnAccuracyHigh());
    }
}
