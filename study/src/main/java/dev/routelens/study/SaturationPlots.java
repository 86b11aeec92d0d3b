package dev.routelens.study;

import dev.routelens.routing.SaturationTable;
import dev.routelens.viz.Heatmap;
import dev.routelens.viz.LineChart;
import dev.routelens.viz.PlotWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Router saturation per MoE layer (lines with their chance levels), and against training step. */
public final class SaturationPlots {
    private SaturationPlots() {
    }

    /** Top-1 and top-k saturation against MoE layer, with chance 1/E and k/E as flat lines. */
    public static void byLayer(Path out, SaturationTable t, SavedFiles saved) throws IOException {
        int m = t.layers().length;
        double[] x = Arrays.stream(t.layers()).asDoubleStream().toArray(); // [M]
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("top-1", t.top1());
        series.put("top-" + t.k(), t.topK());
        series.put("chance top-1 (1/E)", flat(m, t.chanceTop1()));
        series.put("chance top-" + t.k() + " (k/E)", flat(m, t.chanceTopK()));
        saved.add(new PlotWriter(out).write("saturation_by_layer", LineChart.of("Router saturation against the reference",
                "layer", "saturation", x, series)));
    }

    /**
     * Mean saturation over the MoE layers against training step (with chance levels), and top-k saturation per
     * layer and step as a heat map.
     *
     * @param steps [S]
     * @param tables [S]
     * @param saved where the written files are listed
     */
    public static void overSteps(Path out, long[] steps, List<SaturationTable> tables, SavedFiles saved)
            throws IOException {
        SaturationTable first = tables.get(0);
        int s = steps.length;
        double[] x = Arrays.stream(steps).asDoubleStream().toArray();                  // [S]
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("top-1, mean over layers", tables.stream().mapToDouble(SaturationTable::meanTop1).toArray());
        series.put("top-" + first.k() + ", mean over layers", tables.stream().mapToDouble(SaturationTable::meanTopK).toArray());
        series.put("chance top-1 (1/E)", flat(s, first.chanceTop1()));
        series.put("chance top-" + first.k() + " (k/E)", flat(s, first.chanceTopK()));
        saved.add(new PlotWriter(out).write("saturation_vs_step", LineChart.of("Router saturation against the final checkpoint",
                "training step", "saturation", x, series)));
        int[] layers = first.layers();
        double[][] topK = new double[layers.length][s];                                 // [M][S]
        for (int j = 0; j < s; j++) {
            for (int m = 0; m < layers.length; m++) {
                topK[m][j] = tables.get(j).topK()[m];
            }
        }
        saved.add(new PlotWriter(out).write("saturation_layer_by_step", Heatmap.sequential("Top-" + first.k()
                        + " saturation per layer against the final checkpoint", "layer",
                Arrays.stream(layers).mapToObj(Integer::toString).toList(), "training step",
                Arrays.stream(steps).mapToObj(Long::toString).toList(), topK)));
    }

    private static double[] flat(int n, double v) {
        double[] a = new double[n]; // [n]
        Arrays.fill(a, v);
        return a;
    }
}
