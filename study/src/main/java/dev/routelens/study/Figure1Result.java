package dev.routelens.study;

import dev.routelens.core.AtomicFiles;
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
public final class Figure1Result implements StudyResult {
    private final ExpertChoiceTable choices;
    private final Embedding embedding;
    private final QualityReport quality;
    private final Figure1Settings settings;
    private final List<SampleError> rejected;
    private final RunJson run;
    private final StageTimer timer;
    private final int resumedBatches;
    private final int resumedLayers;
    private final Map<String, String> texts;

    Figure1Result(ExpertChoiceTable choices, Embedding embedding, QualityReport quality, Figure1Settings settings,
                  List<SampleError> rejected, RunJson run, StageTimer timer, int resumedBatches,
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
        run.put("perplexity_effective", caveats().perplexity().orElse(null));
        run.put("knn_k_effective", quality.knnK());
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

    /** run.json's fields (its timings are added when saved). */
    public RunJson run() {
        return run;
    }

    /** The same result, its run.json naming the CLI's command line and inputs ({@link RunJson#withInvocation}). */
    public Figure1Result withInvocation(java.util.List<String> args, java.util.Map<String, String> inputs) {
        return new Figure1Result(choices, embedding, quality, settings, rejected, run.withInvocation(args, inputs), timer,
                resumedBatches, resumedLayers, texts);
    }

    /** The records the readers or the tokenizer refused, left out of the figure. */
    public List<SampleError> rejected() {
        return rejected;
    }

    /**
     * Writes expert_choice.csv/.npz, expert_choice_class_means.csv, tsne.csv/.npz, metrics.json, the plots, run.json,
     * figure1.html, report.html and, when records were refused, errors.csv into {@code out}, each atomically.
     */
    @Override
    public SavedFiles save(Path out) throws IOException {
        SavedFiles saved = new SavedFiles(out);
        saved.add(ErrorsCsv.writeIfAny(out.resolve("errors.csv"), rejected));
        choices.writeCsv(saved.add(out.resolve("expert_choice.csv")));
        writeChoicesNpz(saved.add(out.resolve("expert_choice.npz")));
        choices.writeClassMeansCsv(saved.add(out.resolve("expert_choice_class_means.csv")));
        writeCoordinates(saved.add(out.resolve("tsne.csv")));
        writeCoordinatesNpz(saved.add(out.resolve("tsne.npz")));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("documents", choices.size());
        metrics.put("embedding", embedding.method());
        metrics.put("dims", settings.dims());
        metrics.put("quality", quality);
        metrics.putAll(caveats().json());
        AtomicFiles.write(saved.add(out.resolve("metrics.json")), w -> Json.MAPPER.writeValue(w, metrics));
        try (var s = timer.stage("plots")) {
            Figure1Plots.write(out, choices, embedding, "model " + captionModel(run.fields().get("model")) + "; seed " + settings.seed()
                    + caveats().perplexity().map(p -> "; perplexity " + new java.text.DecimalFormat("0.##",
                    java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)).format(p)).orElse(""), saved);
        }
        run.write(saved.add(out.resolve("run.json")));
        StudyPages.figure1(out, this, metrics, saved); // figure1.html and report.html, which indexes the files above
        return saved;
    }

    /**
     * expert_choice.npz: {@code expert_choice} float64 {@code [D, M, E]} (row d, layer m, expert e is column
     * L{layers[m]}E{e} of the CSV), {@code layers} int32 {@code [M]} (real indices), {@code ids} and {@code labels}
     * {@code [D]} when ASCII.
     */
    private void writeChoicesNpz(Path file) throws IOException {
        int d = choices.size();
        int m = choices.layers().length;
        NpzOut npz = new NpzOut().doubles("expert_choice", NpzOut.flat(choices.vectors()), d, m, choices.experts())
                .ints("layers", choices.layers(), m);
        npz.asciiStrings("ids", choices.ids());
        npz.asciiStrings("labels", choices.labels());
        npz.write(file);
    }

    /** tsne.npz: {@code coords} float64 {@code [D, dims]}, rows as in tsne.csv; {@code ids}, {@code labels} when ASCII. */
    private void writeCoordinatesNpz(Path file) throws IOException {
        NpzOut npz = new NpzOut().doubles("coords", NpzOut.flat(embedding.coords()), choices.size(), settings.dims());
        npz.asciiStrings("ids", choices.ids());
        npz.asciiStrings("labels", choices.labels());
        npz.write(file);
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

    /** The summary the CLI prints: counts, quality and every file {@code saved} lists. */
    public String summary(SavedFiles saved) {
        Optional<Path> errorsCsv = saved.files().stream().filter(f -> f.getFileName().toString().equals("errors.csv"))
                .findFirst();
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
        return s.append(saved.summary()).toString();
    }

    @Override
    public String toString() {
        return String.format("Figure1Result[%d documents, %d classes, silhouette E_T %.3f, kNN %.3f; save(dir) writes"
                + " the figure1 folder]", choices.size(), choices.classCounts().size(), quality.silhouetteHighEuclidean(),
                quality.knnAccuracyHigh());
    }

    /**
     * The model as the caption names it: a folder under the working directory relative to it ({@code model/nano}),
     * so a figure made in a checkout does not print the machine's paths; anything else as run.json records it.
     */
    static String captionModel(Object model) {
        String text = String.valueOf(model);
        try {
            java.nio.file.Path path = java.nio.file.Path.of(text);
            java.nio.file.Path here = java.nio.file.Path.of("").toAbsolutePath();
            if (path.isAbsolute() && path.startsWith(here) && !path.equals(here)) {
                return here.relativize(path).toString();
            }
        } catch (java.nio.file.InvalidPathException e) {
            // not a path (a description such as "random init of ..."): as recorded
        }
        return text;
    }
}
