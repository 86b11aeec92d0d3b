package dev.routelens.study;

import dev.routelens.routing.ExpertSaliency;
import dev.routelens.routing.LayerTransitions;
import dev.routelens.routing.TokenSpecialisation;
import dev.routelens.routing.RoutingReport;
import dev.routelens.viz.BarChart;
import dev.routelens.viz.ClassStyle;
import dev.routelens.viz.Heatmap;
import dev.routelens.viz.LineChart;
import dev.routelens.viz.PlotWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expert share per class at one layer (bars), co-activation per class at that layer (heatmaps), and the
 * all-classes first-choice transitions between consecutive MoE layers (one heatmap panel per layer pair), token
 * specialisation per layer by key, and expert saliency per layer and expert (one panel per class).
 */
public final class StatsPlots {
    private StatsPlots() {
    }

    public static void write(Path out, RoutingReport report, int layer, SavedFiles saved) throws IOException {
        List<String> classes = ClassStyle.order(report.classLabels().stream()
                .filter(l -> !l.equals(RoutingReport.ALL_CLASSES)).toList());
        int e = report.numExperts();
        List<String> experts = new ArrayList<>(); // expert indices: the CSV's expert column holds integers
        for (int j = 0; j < e; j++) {
            experts.add(Integer.toString(j));
        }
        double[][] share = new double[classes.size()][];
        List<double[][]> coactivation = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            share[c] = report.row(classes.get(c), layer).expertShare();
            coactivation.add(report.row(classes.get(c), layer).coActivation());
        }
        saved.add(BarChart.write(out, "expert_share_layer" + layer, "Expert share of top-" + report.topK() + " slots, layer " + layer,
                "expert", "share of slots", experts, classes, share, 1.0 / e, "uniform share 1/E"));
        // The diagonal, P(a chosen | a chosen), is always 1: grey, and kept out of the colour range.
        saved.add(new PlotWriter(out).write("coactivation_layer" + layer, Heatmap.panels("P(to chosen | from chosen), layer "
                + layer, classes, coactivation, "from expert", "to expert", false).withDiagonalMasked()
                .withScaleLabel("P(to expert chosen | from expert chosen)")));
        List<String> pairs = new ArrayList<>();
        List<double[][]> transitions = new ArrayList<>();
        for (LayerTransitions t : report.transitions()) {
            if (t.label().equals(RoutingReport.ALL_CLASSES)) {
                pairs.add("layer " + t.fromLayer() + " to " + t.toLayer());
                transitions.add(t.probability());
            }
        }
        if (!transitions.isEmpty()) { // a model with one MoE layer has no pair
            saved.add(new PlotWriter(out).write("transitions_all_classes", Heatmap.panels(
                    "P(first choice at the next MoE layer | first choice), all classes", pairs, transitions,
                    "from expert", "to expert", false).withScaleLabel("P(to expert first | from expert first)")));
        }
        writeTokenSpecialisation(out, report, saved);
        writeSaliency(out, report, saved);
    }

    /** Token specialisation per MoE layer, one line per key, beside the random baseline k/E. */
    private static void writeTokenSpecialisation(Path out, RoutingReport report, SavedFiles saved) throws IOException {
        if (report.tokenSpecialisation().isEmpty()) {
            return;
        }
        int[] layers = report.layers();
        double[] x = java.util.Arrays.stream(layers).asDoubleStream().toArray();
        Map<String, double[]> series = new LinkedHashMap<>();
        for (TokenSpecialisation t : report.tokenSpecialisation()) {
            series.put(t.key().id().replace('_', ' ') + " token", t.overall());
        }
        double[] chance = new double[layers.length];
        java.util.Arrays.fill(chance, report.topK() / (double) report.numExperts());
        series.put("random routing k/E", chance);
        saved.add(new PlotWriter(out).write("token_specialisation_by_layer", LineChart.of(
                "Token specialisation by key (keys seen at least " + report.tokenSpecialisation().get(0).minCount()
                        + " times)", "MoE layer", "mean N(key, expert) / N(key) over slots", x, series)));
    }

    /**
     * REAP saliency per MoE layer and expert, each layer divided by its experts' mean (experts are pruned within a
     * layer, and the first layer's scores are several times the rest), one panel per class and one for all classes.
     */
    private static void writeSaliency(Path out, RoutingReport report, SavedFiles saved) throws IOException {
        ExpertSaliency s = report.expertSaliency();
        if (s == null) {
            return;
        }
        List<String> panels = new ArrayList<>(ClassStyle.order(s.realClasses()));
        panels.add(RoutingReport.ALL_CLASSES);
        List<double[][]> matrices = new ArrayList<>();
        for (String label : panels) {
            double[][] m = new double[s.layers().length][];
            for (int i = 0; i < m.length; i++) { // each layer over its own mean: layer 0's scale would hide the rest
                m[i] = s.score(label, s.layers()[i]);
                double mean = java.util.Arrays.stream(m[i]).filter(Double::isFinite).average().orElse(Double.NaN);
                for (int e = 0; e < m[i].length; e++) {
                    m[i][e] /= mean;
                }
            }
            matrices.add(m);
        }
        List<String> rowLabels = java.util.Arrays.stream(s.layers()).mapToObj(Integer::toString).toList();
        saved.add(new PlotWriter(out).write("expert_saliency_by_layer", Heatmap.panels("Expert saliency (REAP) within each"
                + " layer: mean routing weight \u00d7 \u2016expert output\u2016, over the layer's mean", panels, matrices,
                "layer", rowLabels, "expert", false).withScaleLabel("saliency / mean saliency of the layer's experts")));
    }
}
