package dev.routelens.train;

import dev.routelens.core.AtomicFiles;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code train_log.csv}: one row per optimizer step, appended and forced to disk after each row.
 * Columns: step, lr, loss (cross-entropy), aux_loss, grad_norm (before clipping), tokens_per_s,
 * tokens_seen, heldout_loss (empty except on evaluation steps), then {@code load_l{i}_e{j}}: the fraction
 * of layer i's top-k slots that went to expert j in this step (each layer's fractions sum to 1).
 */
public final class TrainLog implements AutoCloseable {
    /** One logged step. */
    public record Row(long step, double lr, double loss, double auxLoss, double gradNorm, double tokensPerSecond,
                      long tokensSeen, double heldoutLoss, double[][] expertLoad) {
    }

    private final FileOutputStream stream;
    private final CSVPrinter printer;

    private TrainLog(FileOutputStream stream, CSVPrinter printer) {
        this.stream = stream;
        this.printer = printer;
    }

    /** Column names for a model of {@code layers} x {@code experts}. */
    public static List<String> header(int layers, int experts) {
        List<String> h = new ArrayList<>(List.of("step", "lr", "loss", "aux_loss", "grad_norm", "tokens_per_s",
                "tokens_seen", "heldout_loss"));
        for (int i = 0; i < layers; i++) {
            for (int j = 0; j < experts; j++) {
                h.add("load_l" + i + "_e" + j);
            }
        }
        return h;
    }

    /**
     * Opens the log for appending. A fresh run starts a new file; a resumed run first rewrites the file
     * atomically without rows after {@code keepUpToStep} (steps that will be run again).
     */
    public static TrainLog open(Path file, int layers, int experts, boolean resume, long keepUpToStep) throws IOException {
        List<String> header = header(layers, experts);
        StringBuilder kept = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(kept, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).build())) {
            if (resume && Files.isRegularFile(file)) {
                for (List<String> row : read(file)) {
                    if (Long.parseLong(row.get(0)) <= keepUpToStep) {
                        p.printRecord(row);
                    }
                }
            }
        }
        AtomicFiles.writeString(file, kept.toString());
        FileOutputStream stream = new FileOutputStream(file.toFile(), true);
        Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        return new TrainLog(stream, new CSVPrinter(w, CSVFormat.DEFAULT));
    }

    /** The data rows of a log, as strings, header skipped. */
    public static List<List<String>> read(Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
            for (CSVRecord rec : parser) {
                rows.add(rec.toList());
            }
        }
        return rows;
    }

    /** Appends one row and forces it to disk. */
    public void append(Row row) throws IOException {
        List<String> values = new ArrayList<>();
        values.add(Long.toString(row.step()));
        values.add(num(row.lr()));
        values.add(num(row.loss()));
        values.add(num(row.auxLoss()));
        values.add(num(row.gradNorm()));
        values.add(String.format(Locale.ROOT, "%.1f", row.tokensPerSecond()));
        values.add(Long.toString(row.tokensSeen()));
        values.add(Double.isNaN(row.heldoutLoss()) ? "" : num(row.heldoutLoss()));
        for (double[] layer : row.expertLoad()) {
            for (double f : layer) {
                values.add(String.format(Locale.ROOT, "%.4f", f));
            }
        }
        printer.printRecord(values);
        printer.flush();
        stream.getFD().sync();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    @Override
    public void close() throws IOException {
        printer.close();
    }
}
