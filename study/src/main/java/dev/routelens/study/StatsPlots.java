package dev.routelens.study;

import dev.routelens.routing.LayerTransitions;
import dev.routelens.routing.RoutingReport;
import dev.routelens.viz.BarChart;
import dev.routelens.viz.ClassStyle;
import dev.routelens.viz.Heatmap;
import dev.routelens.viz.PlotWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Expert share per class at one layer (bars), co-activation per class at that layer (heatmaps), and the
 * all-classes first-choice transitions between consecutive MoE layers (one heatmap panel per layer pair).
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
    }
}
