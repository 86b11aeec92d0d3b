package dev.routelens.routing;

import dev.routelens.core.AtomicFiles;
import dev.routelens.core.InputKind;
import dev.routelens.model.MoeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Expert-choice vectors of N documents, one row each, over the model's MoE layers: columns
 * L{l}E0..L{l}E{E-1} for each real MoE layer l in {@code layers} (L0E0..L{L-1}E{E-1} when every layer is
 * an MoE layer; a dense layer has no columns).
 *
 * @param ids document ids, unique // [N]
 * @param labels class labels // [N]
 * @param kinds input kinds // [N]
 * @param vectors choice vectors, layer-major, finite // [N][M*E]
 * @param layers real indices of the M MoE layers, ascending // [M]
 * @param experts E, experts per MoE layer
 */
public record ExpertChoiceTable(
        List<String> ids,
        List<String> labels,
        List<InputKind> kinds,
        double[][] vectors,
        int[] layers,
        int experts) {

    private static final int LEADING_COLUMNS = 3;
    private static final Pattern COLUMN = Pattern.compile("L(\\d+)E(\\d+)");

    public ExpertChoiceTable {
        if (ids == null || labels == null || kinds == null || vectors == null || layers == null) {
            throw new IllegalArgumentException("expert-choice table: ids, labels, kinds, vectors and layers are required");
        }
        int rows = ids.size();
        if (labels.size() != rows || kinds.size() != rows || vectors.length != rows) {
            throw new IllegalArgumentException("expert-choice table: " + rows + " ids but " + labels.size()
                    + " labels, " + kinds.size() + " kinds, " + vectors.length + " vectors");
        }
        if (layers.length == 0 || experts < 1) {
            throw new IllegalArgumentException("expert-choice table: no columns");
        }
        layers = layers.clone();
        MoeLayers.check(layers, layers.length, "expert-choice table: ");
        for (int i = 0; i < rows; i++) {
            if (ids.get(i) == null || ids.get(i).isBlank() || labels.get(i) == null || kinds.get(i) == null) {
                throw new IllegalArgumentException("expert-choice table: row " + i + " (id '" + ids.get(i)
                        + "') lacks an id, label or kind");
            }
        }
        ids = List.copyOf(ids);
        labels = List.copyOf(labels);
        kinds = List.copyOf(kinds);
        int width = layers.length * experts;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rows; i++) {
            String id = ids.get(i);
            if (!seen.add(id)) {
                throw new IllegalArgumentException("expert-choice table: document '" + id + "' appears twice");
            }
            double[] vector = vectors[i]; // [M*E]
            if (vector == null || vector.length != width) {
                throw new IllegalArgumentException("expert-choice table: document '" + id + "' has "
                        + (vector == null ? 0 : vector.length) + " values, expected " + width);
            }
            for (int c = 0; c < vector.length; c++) {
                if (!Double.isFinite(vector[c])) {
                    throw new IllegalArgumentException("expert-choice table: document '" + id + "' column "
                            + ExpertChoice.columnName(layers[c / experts], c % experts) + " is " + vector[c]);
                }
            }
        }
    }

    /** Real indices of the MoE layers, ascending (a copy). // [M] */
    @Override
    public int[] layers() {
        return layers.clone();
    }

    /** {@link ExpertChoice#columnNames(int[], int)} of the vectors. // [M*E] */
    public List<String> columnNames() {
        return ExpertChoice.columnNames(layers, experts);
    }

    /** M*E, the width of every vector. */
    public int width() {
        return layers.length * experts;
    }

    /** A builder for tables of L layers, all MoE layers, and E experts. */
    public static Builder builder(int layers, int experts) {
        if (layers < 1) {
            throw new IllegalArgumentException("column names need layers >= 1 and experts >= 1, got "
                    + layers + " and " + experts);
        }
        return new Builder(MoeLayers.all(layers), experts);
    }

    /** A builder for tables over the MoE layers {@code layers} (real indices, ascending) and E experts. */
    public static Builder builder(int[] layers, int experts) {
        return new Builder(layers, experts);
    }

    /** A builder for the E_T of a {@code config} model: its MoE layers and experts. */
    public static Builder builder(MoeConfig config) {
        return new Builder(config.moeLayers(), config.numExperts());
    }

    /** N, the number of documents. */
    public int size() {
        return ids.size();
    }

    /** Header of {@link #writeCsv}: id, label, kind, L0E0, ... */
    public List<String> csvHeader() {
        List<String> header = new ArrayList<>(List.of("id", "label", "kind"));
        header.addAll(columnNames());
        return header;
    }

    /** Number of documents per class label, labels sorted. */
    public Map<String, Integer> classCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String label : labels) {
            counts.merge(label, 1, Integer::sum);
        }
        return counts;
    }

    /** Mean choice vector per class label, labels sorted; each [L*E] (reshape for a heatmap). */
    public Map<String, double[]> classMeans() {
        Map<String, double[]> sums = new TreeMap<>();
        for (int i = 0; i < size(); i++) {
            double[] sum = sums.computeIfAbsent(labels.get(i), label -> new double[width()]); // [M*E]
            for (int c = 0; c < sum.length; c++) {
                sum[c] += vectors[i][c];
            }
        }
        Map<String, Integer> counts = classCounts();
        for (Map.Entry<String, double[]> entry : sums.entrySet()) {
            double count = counts.get(entry.getKey());
            double[] mean = entry.getValue(); // [L*E]
            for (int c = 0; c < mean.length; c++) {
                mean[c] /= count;
            }
        }
        return sums;
    }

    /** Writes id, label, kind, L0E0, ...; one row per document. */
    public void writeCsv(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(csvHeader().toArray(String[]::new))
                .setRecordSeparator('\n').build();
        AtomicFiles.write(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                for (int i = 0; i < size(); i++) {
                    List<Object> values = new ArrayList<>(LEADING_COLUMNS + width());
                    values.add(ids.get(i));
                    values.add(labels.get(i));
                    values.add(kinds.get(i).id());
                    for (double value : vectors[i]) {
                        values.add(value);
                    }
                    printer.printRecord(values);
                }
            }
        });
    }

    /** Writes label, documents, L0E0, ...: the per-class mean vectors. */
    public void writeClassMeansCsv(Path file) throws IOException {
        List<String> header = new ArrayList<>(List.of("label", "documents"));
        header.addAll(columnNames());
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                .setRecordSeparator('\n').build();
        Map<String, Integer> counts = classCounts();
        Map<String, double[]> means = classMeans();
        AtomicFiles.write(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                for (Map.Entry<String, double[]> entry : means.entrySet()) {
                    List<Object> values = new ArrayList<>(List.of(entry.getKey(), counts.get(entry.getKey())));
                    for (double value : entry.getValue()) {
                        values.add(value);
                    }
                    printer.printRecord(values);
                }
            }
        });
    }

    /** Reads a table written by {@link #writeCsv}; errors name the file and line. */
    public static ExpertChoiceTable readCsv(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        List<String> ids = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<InputKind> kinds = new ArrayList<>();
        List<double[]> vectors = new ArrayList<>();
        List<String> columns;
        int[] layerIndices;
        int experts;
        try (Reader reader = Files.newBufferedReader(file); CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = parser.getHeaderNames();
            if (header.size() <= LEADING_COLUMNS || !header.subList(0, LEADING_COLUMNS).equals(List.of("id", "label", "kind"))) {
                throw new IOException(file + ": header must start with id,label,kind and have vector columns");
            }
            columns = header.subList(LEADING_COLUMNS, header.size());
            layerIndices = layersOf(file, columns);
            experts = columns.size() / layerIndices.length;
            for (CSVRecord record : parser) {
                String where = file + " line " + parser.getCurrentLineNumber() + ": ";
                if (record.size() != header.size()) {
                    throw new IOException(where + "has " + record.size() + " fields, expected " + header.size());
                }
                try {
                    ids.add(record.get(0));
                    labels.add(record.get(1));
                    kinds.add(InputKind.parse(record.get(2)));
                    double[] vector = new double[columns.size()]; // [L*E]
                    for (int c = 0; c < vector.length; c++) {
                        vector[c] = Double.parseDouble(record.get(LEADING_COLUMNS + c));
                    }
                    vectors.add(vector);
                } catch (IllegalArgumentException e) {
                    throw new IOException(where + e.getMessage(), e);
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException("expert-choice table " + file + " does not exist", e);
        }
        try {
            return new ExpertChoiceTable(ids, labels, kinds, vectors.toArray(double[][]::new), layerIndices, experts);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The MoE layers of vector columns that are exactly L{l}E0..L{l}E{E-1} for ascending real layers l
     * and one E; anything else is an error naming the file.
     */
    private static int[] layersOf(Path file, List<String> columns) throws IOException {
        List<Integer> layers = new ArrayList<>();
        int experts = 0;
        for (String column : columns) {
            Matcher matcher = COLUMN.matcher(column);
            if (!matcher.matches()) {
                layers = null;
                break;
            }
            int layer = Integer.parseInt(matcher.group(1));
            if (layers.isEmpty() || layers.get(layers.size() - 1) != layer) {
                layers.add(layer);
            }
            if (layers.size() == 1) {
                experts++;
            }
        }
        if (layers != null && experts > 0 && (long) layers.size() * experts == columns.size()) {
            int[] found = layers.stream().mapToInt(Integer::intValue).toArray();
            try {
                if (ExpertChoice.columnNames(found, experts).equals(columns)) {
                    return found;
                }
            } catch (IllegalArgumentException e) {
                // not ascending: refused below
            }
        }
        throw new IOException(file + ": vector columns are not L{l}E0..L{l}E{E-1} for ascending layers l (last is '"
                + columns.get(columns.size() - 1) + "')");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExpertChoiceTable that
                && ids.equals(that.ids)
                && labels.equals(that.labels)
                && kinds.equals(that.kinds)
                && Arrays.deepEquals(vectors, that.vectors)
                && Arrays.equals(layers, that.layers)
                && experts == that.experts;
    }

    @Override
    public int hashCode() {
        return 31 * ids.hashCode() + Arrays.deepHashCode(vectors);
    }

    @Override
    public String toString() {
        return "ExpertChoiceTable[documents=" + size() + ", layers=" + Arrays.toString(layers) + ", experts=" + experts
                + ", columns=" + width() + "]";
    }

    /** Collects rows one document at a time; only the vectors are kept, never the logits. */
    public static final class Builder {
        private final int[] layers;
        private final int experts;
        private final List<String> ids = new ArrayList<>();
        private final List<String> labels = new ArrayList<>();
        private final List<InputKind> kinds = new ArrayList<>();
        private final List<double[]> vectors = new ArrayList<>();

        private Builder(int[] layers, int experts) {
            ExpertChoice.columnNames(layers, experts); // validates the sizes
            this.layers = layers.clone();
            this.experts = experts;
        }

        /** Adds the choice vector of {@code document} by {@code variant}. */
        public Builder add(DocumentRouting document, ExpertChoice.Variant variant, int topK) {
            if (!Arrays.equals(document.layers(), layers) || document.numExperts() != experts) {
                throw new IllegalArgumentException("document '" + document.id() + "': has layers "
                        + Arrays.toString(document.layers()) + " E=" + document.numExperts() + ", table expects layers "
                        + Arrays.toString(layers) + " E=" + experts);
            }
            return add(document.id(), document.label(), document.kind(), ExpertChoice.vector(document, variant, topK));
        }

        /** Adds a precomputed vector [M*E] (for example from {@link ExpertChoice.Accumulator}). */
        public Builder add(String id, String label, InputKind kind, double[] vector) {
            if (vector.length != layers.length * experts) {
                throw new IllegalArgumentException("document '" + id + "': vector has " + vector.length
                        + " values, expected " + layers.length * experts);
            }
            ids.add(id);
            labels.add(label);
            kinds.add(kind);
            vectors.add(vector.clone());
            return this;
        }

        public ExpertChoiceTable build() {
            return new ExpertChoiceTable(ids, labels, kinds, vectors.toArray(double[][]::new), layers, experts);
        }
    }
}
