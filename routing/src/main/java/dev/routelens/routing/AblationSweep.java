package dev.routelens.routing;

import dev.routelens.core.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Every (MoE layer, expert) ablation of one mode, with per-class NLL deltas as MoE layers x experts matrices.
 *
 * @param mode the ablation mode
 * @param r top-r's r (0 otherwise)
 * @param layers real indices of the M MoE layers swept, ascending; row i of {@link #deltas} is layer {@code layers[i]}
 * @param experts E (1 for top-r and zero-shared, which have one ablation per layer)
 * @param results one per ablation, layer-major
 */
public record AblationSweep(AblationMode mode, int r, int[] layers, int experts, List<AblationResult> results) {

    /** Column header of ablation.csv. */
    public static final String[] CSV_HEADER = {"class", "layer", "expert", "mode", "nll_base", "nll_ablated", "delta", "tokens"};

    /** Classes in result order, the pooled row last. */
    public List<String> classLabels() {
        return results.isEmpty() ? List.of() : results.get(0).classes().stream().map(AblationResult.ClassNll::label).toList();
    }

    /** NLL delta of {@code label} for every (MoE layer, expert); row i is real layer {@code layers[i]}. // [M][E] */
    public double[][] deltas(String label) {
        double[][] m = new double[layers.length][experts];
        for (AblationResult a : results) {
            int e = mode.needsExpert() ? a.ablation().expert() : 0;
            m[MoeLayers.slotOf(layers, a.ablation().layer())][e] = a.classes().stream().filter(c -> c.label().equals(label)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no class '" + label + "' in the sweep"))
                    .delta();
        }
        return m;
    }

    /** Writes ablation.csv rows for every ablation and class. */
    public void writeCsv(Path file) throws IOException {
        writeResultsCsv(file, results);
    }

    /** Writes ablation.csv for any list of results. */
    public static void writeResultsCsv(Path file, List<AblationResult> results) throws IOException {
        AtomicFiles.write(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(CSV_HEADER).build())) {
                for (AblationResult a : results) {
                    for (AblationResult.ClassNll c : a.classes()) {
                        p.printRecord(c.label(), a.ablation().layerColumn(), a.ablation().expertColumn(),
                                a.ablation().mode().id(), c.nllBase(), c.nllAblated(), c.delta(), c.tokens());
                    }
                }
            }
        });
    }

    /**
     * Writes routing_shift.csv: class, layer, expert, mode, at_layer, changed_fraction; one row per MoE layer
     * from the ablated one on, {@code at_layer} its real index.
     */
    public static void writeShiftCsv(Path file, List<AblationResult> results) throws IOException {
        AtomicFiles.write(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                    .setHeader("class", "layer", "expert", "mode", "at_layer", "changed_fraction").build())) {
                for (AblationResult a : results) {
                    int from = a.ablation().allLayers() ? 0 : a.ablation().layer();
                    for (var e : a.routingShift().entrySet()) {
                        double[] f = e.getValue();
                        for (int l = 0; l < f.length; l++) {
                            if (a.layers()[l] >= from) {
                                p.printRecord(e.getKey(), a.ablation().layerColumn(), a.ablation().expertColumn(),
                                        a.ablation().mode().id(), a.layers()[l], f[l]);
                            }
                        }
                    }
                }
            }
        });
    }

    /** Real indices of the MoE layers swept (a copy). // [M] */
    @Override
    public int[] layers() {
        return layers.clone();
    }

    /** All results as a new list. */
    public List<AblationResult> asList() {
        return new ArrayList<>(results);
    }
}
