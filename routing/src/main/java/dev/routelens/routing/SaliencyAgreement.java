package dev.routelens.routing;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.routelens.core.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import smile.stat.hypothesis.CorTest;

/**
 * How well the ablation-free saliency ranking ({@link ExpertSaliency}) predicts what ablating each expert costs:
 * Spearman's rank correlation between an expert's saliency and the NLL change of its single-expert ablation in a
 * sweep ({@code ablate --sweep}'s ablation.csv), over every (MoE layer, expert) both measured, per class and
 * ablation mode. A positive rho means the experts REAP ranks high are the ones whose loss hurts most; the
 * {@code zero} mode (the expert's output dropped, routing kept) is the ablation REAP's score bounds.
 *
 * @param mode the sweep's ablation mode ({@code zero} or {@code reroute})
 * @param label class, or {@link RoutingReport#ALL_CLASSES}
 * @param pairs (layer, expert) pairs with a finite saliency and a finite delta
 * @param spearman rho; NaN with fewer than 3 pairs
 * @param pValue two-sided p-value of rho = 0 (Smile's t approximation); NaN with fewer than 3 pairs
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class) // JSON keys snake_case, as in every output
public record SaliencyAgreement(String mode, String label, int pairs, double spearman, double pValue) {

    /** A sweep's delta for one (mode, class, layer, expert). */
    public record SweepDelta(String mode, String label, int layer, int expert, double delta) {
    }

    /** Spearman's rho between saliency and the sweep's deltas in {@code ablationCsv}, per mode and class. */
    public static List<SaliencyAgreement> of(ExpertSaliency saliency, Path ablationCsv) throws IOException {
        return of(saliency, readSweep(ablationCsv));
    }

    /** Spearman's rho between saliency and a sweep's deltas already read ({@link #readSweep}), per mode and class. */
    public static List<SaliencyAgreement> of(ExpertSaliency saliency, List<SweepDelta> deltas) {
        Map<String, List<SweepDelta>> groups = new LinkedHashMap<>(); // "mode\0label" -> deltas
        for (SweepDelta d : deltas) {
            if (saliency.classes().contains(d.label())) {
                groups.computeIfAbsent(d.mode() + '\0' + d.label(), k -> new ArrayList<>()).add(d);
            }
        }
        List<SaliencyAgreement> out = new ArrayList<>();
        for (List<SweepDelta> group : groups.values()) {
            List<double[]> pairs = new ArrayList<>();
            for (SweepDelta d : group) {
                if (!contains(saliency.layers(), d.layer()) || d.expert() < 0
                        || d.expert() >= saliency.score(d.label(), saliency.layers()[0]).length) {
                    throw new IllegalArgumentException("the sweep ablates layer " + d.layer() + " expert " + d.expert()
                            + ", which this model does not have (MoE layers " + MoeLayers.list(saliency.layers())
                            + "): was the sweep run on another model?");
                }
                double s = saliency.score(d.label(), d.layer())[d.expert()];
                if (Double.isFinite(s) && Double.isFinite(d.delta())) {
                    pairs.add(new double[] {s, d.delta()});
                }
            }
            double rho = Double.NaN;
            double p = Double.NaN;
            if (pairs.size() >= 3) {
                CorTest test = CorTest.spearman(pairs.stream().mapToDouble(x -> x[0]).toArray(),
                        pairs.stream().mapToDouble(x -> x[1]).toArray());
                rho = test.cor;
                p = test.pvalue;
            }
            out.add(new SaliencyAgreement(group.get(0).mode(), group.get(0).label(), pairs.size(), rho, p));
        }
        return out;
    }

    /** The rows of an ablation.csv that ablate one routed expert at one layer (modes zero and reroute). */
    public static List<SweepDelta> readSweep(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such ablation.csv (give the folder or file an 'ablate --sweep' run wrote)");
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        List<SweepDelta> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file); CSVParser parser = CSVParser.parse(reader, format)) {
            for (String column : List.of("class", "layer", "expert", "mode", "delta")) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw new IOException(file + ": no '" + column + "' column; is it an ablation.csv?");
                }
            }
            for (CSVRecord r : parser) {
                AblationMode mode;
                try {
                    mode = AblationMode.parse(r.get("mode"));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " line " + r.getRecordNumber() + ": " + e.getMessage());
                }
                if (!mode.needsExpert() || r.get("layer").equals("all")) {
                    continue;
                }
                try {
                    rows.add(new SweepDelta(mode.id(), r.get("class"), Integer.parseInt(r.get("layer")),
                            Integer.parseInt(r.get("expert")), Double.parseDouble(r.get("delta"))));
                } catch (NumberFormatException e) {
                    throw new IOException(file + " line " + r.getRecordNumber() + ": layer, expert and delta must be numbers");
                }
            }
        }
        if (rows.isEmpty()) {
            throw new IOException(file + ": no single-expert ablations (modes zero or reroute at one layer)");
        }
        return rows;
    }

    /** Writes saliency_vs_sweep.csv: mode, class, pairs, spearman, p_value. */
    public static void writeCsv(Path file, List<SaliencyAgreement> rows) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader("mode", "class", "pairs", "spearman", "p_value")
                .setRecordSeparator('\n').build();
        AtomicFiles.write(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                for (SaliencyAgreement a : rows) {
                    printer.printRecord(a.mode(), a.label(), a.pairs(), a.spearman(), a.pValue());
                }
            }
        });
    }

    private static boolean contains(int[] layers, int layer) {
        for (int l : layers) {
            if (l == layer) {
                return true;
            }
        }
        return false;
    }
}
