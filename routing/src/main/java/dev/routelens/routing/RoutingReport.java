package dev.routelens.routing;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.routelens.core.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Routing metrics for every (class label, layer), with the random-router baselines, exportable to
 * CSV and JSON. Made by {@link RoutingMetrics#report()}.
 *
 * @param numLayers M, the MoE layers (all L layers unless the family has dense ones)
 * @param numExperts E
 * @param topK k
 * @param minTokenOccurrences minimum occurrences of a token id for vocabulary specialisation
 * @param randomBaselineTop1 1/E
 * @param randomBaselineEither 1 - C(E-k, k) / C(E, k)
 * @param rows per class (sorted) then {@link #ALL_CLASSES}, each for the MoE layers in ascending order,
 *     named by real index
 * @param mutualInformation domain-expert mutual information I(class; expert) over top-k slots, one per MoE layer
 *     in ascending order (empty in a report read from a file written before it existed)
 * @param domainSpecialisation per-class share of each expert's slots, raw and size-normalised (null in a report
 *     read from a file written before it existed)
 * @param transitions first-choice transitions between consecutive MoE layers, per class (sorted) then
 *     {@link #ALL_CLASSES}, each in layer order (empty in a report read from a file written before they existed)
 * @param tokenSpecialisation token specialisation keyed by input token, true next token and, when the model's
 *     outputs were gathered, predicted next token (empty in a report read from a file written before it existed)
 * @param expertSaliency REAP saliency per class and expert; null when the model's outputs were not gathered
 * @param outputStudiesMissing why predicted-next specialisation and saliency are missing; null when they are present
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class) // JSON keys snake_case, as in every output
public record RoutingReport(
        int numLayers,
        int numExperts,
        int topK,
        int minTokenOccurrences,
        double randomBaselineTop1,
        double randomBaselineEither,
        List<LayerClassMetrics> rows,
        List<ClassExpertInformation> mutualInformation,
        DomainSpecialisation domainSpecialisation,
        List<LayerTransitions> transitions,
        List<TokenSpecialisation> tokenSpecialisation,
        ExpertSaliency expertSaliency,
        String outputStudiesMissing) {

    /** The class label of the rows that pool every document. */
    public static final String ALL_CLASSES = "(all)";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RoutingReport {
        if (numLayers < 1 || numExperts < 1 || topK < 1 || topK > numExperts || minTokenOccurrences < 1) {
            throw new IllegalArgumentException("routing report: invalid sizes L=" + numLayers + " E=" + numExperts
                    + " k=" + topK + " min occurrences=" + minTokenOccurrences);
        }
        rows = List.copyOf(rows);
        mutualInformation = mutualInformation == null ? List.of() : List.copyOf(mutualInformation);
        transitions = transitions == null ? List.of() : List.copyOf(transitions);
        tokenSpecialisation = tokenSpecialisation == null ? List.of() : List.copyOf(tokenSpecialisation);
        Set<Integer> layers = new java.util.TreeSet<>();
        for (LayerClassMetrics row : rows) {
            layers.add(row.layer());
            if (row.numExperts() != numExperts || layers.size() > numLayers) {
                throw new IllegalArgumentException("routing report: row of class '" + row.label() + "' layer "
                        + row.layer() + " does not fit L=" + numLayers + " E=" + numExperts);
            }
        }
    }

    /** Real indices of the MoE layers the rows cover, ascending. // [M] */
    public int[] layers() {
        return rows.stream().mapToInt(LayerClassMetrics::layer).distinct().sorted().toArray();
    }

    /** Class labels in row order, {@link #ALL_CLASSES} included. */
    public List<String> classLabels() {
        Set<String> labels = new LinkedHashSet<>();
        for (LayerClassMetrics row : rows) {
            labels.add(row.label());
        }
        return List.copyOf(labels);
    }

    /** The row of {@code label} at {@code layer}. */
    public LayerClassMetrics row(String label, int layer) {
        for (LayerClassMetrics row : rows) {
            if (row.label().equals(label) && row.layer() == layer) {
                return row;
            }
        }
        throw new IllegalArgumentException("routing report has no row for class '" + label + "' layer " + layer);
    }

    /** Header of {@link #writeMetricsCsv}: class, layer, counts, scalar metrics, E0.. (the row's layer's experts). */
    public List<String> metricsHeader() {
        List<String> header = new ArrayList<>(List.of("class", "layer", "documents", "tokens", "token_pairs",
                "repetition_top1", "repetition_either", "vocab_specialisation", "vocab_ids",
                "load_balance", "entropy_nats"));
        for (int e = 0; e < numExperts; e++) {
            header.add("E" + e);
        }
        return header;
    }

    /** One row per (class, layer); column E{e} holds expert e's share at that row's layer. */
    public void writeMetricsCsv(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(metricsHeader().toArray(String[]::new))
                .setRecordSeparator('\n').build();
        AtomicFiles.write(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                for (LayerClassMetrics row : rows) {
                    List<Object> values = new ArrayList<>(List.of(row.label(), row.layer(), row.documents(),
                            row.tokens(), row.tokenPairs(), row.repetitionTop1(), row.repetitionEither(),
                            row.vocabularySpecialisation(), row.vocabularyIds(), row.loadBalance(), row.entropy()));
                    for (double share : row.expertShare()) {
                        values.add(share);
                    }
                    printer.printRecord(values);
                }
            }
        });
    }

    /** Co-activation in long form: class, layer, from_expert, to_expert, p = P(to | from). */
    public void writeCoActivationCsv(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader("class", "layer", "from_expert", "to_expert", "p")
                .setRecordSeparator('\n').build();
        AtomicFiles.write(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                for (LayerClassMetrics row : rows) {
                    for (int from = 0; from < numExperts; from++) {
                        for (int to = 0; to < numExperts; to++) {
                            printer.printRecord(row.label(), row.layer(), from, to, row.coActivation()[from][to]);
                        }
                    }
                }
            }
        });
    }

    /** Domain-expert mutual information at {@code layer} (a real MoE layer index). */
    public ClassExpertInformation mutualInformation(int layer) {
        for (ClassExpertInformation info : mutualInformation) {
            if (info.layer() == layer) {
                return info;
            }
        }
        throw new IllegalArgumentException("routing report has no mutual information for layer " + layer);
    }

    /** Domain-expert mutual information, one row per MoE layer: layer, mutual_information_nats, normalised. */
    public void writeMutualInformationCsv(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader("layer", "mutual_information_nats", "normalised")
                .setRecordSeparator('\n').build();
        AtomicFiles.write(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                for (ClassExpertInformation info : mutualInformation) {
                    printer.printRecord(info.layer(), info.mutualInformationNats(), info.normalised());
                }
            }
        });
    }

    /**
     * Domain specialisation in long form: layer, expert, class, share = N(expert, class) / N(expert), and
     * share_size_normalised, the same after dividing each class's counts by its token count.
     */
    public void writeDomainSpecialisationCsv(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader("layer", "expert", "class", "share", "share_size_normalised")
                .setRecordSeparator('\n').build();
        DomainSpecialisation d = domainSpecialisation;
        AtomicFiles.write(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                for (int m = 0; d != null && m < d.layers().length; m++) {
                    for (int e = 0; e < d.share()[m].length; e++) {
                        for (int c = 0; c < d.classes().size(); c++) {
                            printer.printRecord(d.layers()[m], e, d.classes().get(c), d.share()[m][e][c],
                                    d.shareSizeNormalised()[m][e][c]);
                        }
                    }
                }
            }
        });
    }

    /** The transitions of {@code label} from MoE layer {@code fromLayer} (real index) to the next MoE layer. */
    public LayerTransitions transitions(String label, int fromLayer) {
        for (LayerTransitions t : transitions) {
            if (t.label().equals(label) && t.fromLayer() == fromLayer) {
                return t;
            }
        }
        throw new IllegalArgumentException("routing report has no transitions for class '" + label
                + "' from layer " + fromLayer);
    }

    /**
     * First-choice transitions in long form: class, from_layer, to_layer, from_expert, to_expert,
     * probability = P(to_expert at to_layer | from_expert at from_layer), count (tokens).
     */
    public void writeTransitionsCsv(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader("class", "from_layer", "to_layer", "from_expert", "to_expert", "probability", "count")
                .setRecordSeparator('\n').build();
        AtomicFiles.write(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                for (LayerTransitions t : transitions) {
                    for (int from = 0; from < numExperts; from++) {
                        for (int to = 0; to < numExperts; to++) {
                            printer.printRecord(t.label(), t.fromLayer(), t.toLayer(), from, to,
                                    t.probability()[from][to], t.counts()[from][to]);
                        }
                    }
                }
            }
        });
    }

    /** Mutual information of consecutive layers' first choices: class, from_layer, to_layer, nats and entropies. */
    public void writeTransitionInformationCsv(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader("class", "from_layer", "to_layer", "mutual_information_nats", "from_entropy_nats",
                        "to_entropy_nats")
                .setRecordSeparator('\n').build();
        AtomicFiles.write(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                for (LayerTransitions t : transitions) {
                    printer.printRecord(t.label(), t.fromLayer(), t.toLayer(), t.mutualInformationNats(),
                            t.fromEntropyNats(), t.toEntropyNats());
                }
            }
        });
    }

    /** Token specialisation keyed by {@code key}; empty when it was not measured. */
    public java.util.Optional<TokenSpecialisation> tokenSpecialisation(TokenSpecialisation.Key key) {
        return tokenSpecialisation.stream().filter(t -> t.key() == key).findFirst();
    }

    /**
     * Token specialisation in long form: key, layer, expert ({@code all} for the layer's overall value),
     * specialisation, random_baseline (k/E), keys and tokens counted (keys seen at least min_count times).
     */
    public void writeTokenSpecialisationCsv(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader("key", "layer", "expert", "specialisation", "random_baseline", "keys", "tokens", "min_count")
                .setRecordSeparator('\n').build();
        AtomicFiles.write(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                for (TokenSpecialisation t : tokenSpecialisation) {
                    for (int m = 0; m < t.layers().length; m++) {
                        printer.printRecord(t.key().id(), t.layers()[m], "all", t.overall()[m], t.randomBaseline(),
                                t.keys()[m], t.tokens()[m], t.minCount());
                        for (int e = 0; e < t.perExpert()[m].length; e++) {
                            printer.printRecord(t.key().id(), t.layers()[m], e, t.perExpert()[m][e], t.randomBaseline(),
                                    t.keys()[m], t.tokens()[m], t.minCount());
                        }
                    }
                }
            }
        });
    }

    /**
     * Expert saliency in long form: class, layer, expert, score (REAP), tokens routed, rank among the layer's
     * experts for the class, 1 the most salient (REAP prunes within each layer). Nothing but the header when saliency was not measured.
     */
    public void writeExpertSaliencyCsv(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader("class", "layer", "expert", "score", "tokens", "rank")
                .setRecordSeparator('\n').build();
        AtomicFiles.write(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                if (expertSaliency == null) {
                    return;
                }
                for (String label : expertSaliency.classes()) {
                    for (int layer : expertSaliency.layers()) {
                        List<ExpertSaliency.Ranked> ranked = expertSaliency.ranking(label, layer);
                        for (int r = 0; r < ranked.size(); r++) {
                            ExpertSaliency.Ranked x = ranked.get(r);
                            printer.printRecord(label, x.layer(), x.expert(), x.score(), x.tokens(), r + 1);
                        }
                    }
                }
            }
        });
    }

    /** The whole report as indented JSON; NaN values are written as the string "NaN". */
    public void writeJson(Path file) throws IOException {
        AtomicFiles.write(file, writer -> JSON.writeValue(writer, this));
    }

    /** Reads a report written by {@link #writeJson}. */
    public static RoutingReport readJson(Path file) throws IOException {
        try (var reader = Files.newBufferedReader(file)) {
            return JSON.readValue(reader, RoutingReport.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot read routing report " + file + ": " + e.getMessage(), e);
        }
    }
}
