package dev.routelens.viz;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Heatmaps of matrices such as layers x experts (mean expert choice per class, ablation NLL deltas)
 * or experts x experts (co-activation). Several panels share one colour scale.
 */
public final class Heatmap {
    /** Sequential scale (white to dark blue) for non-negative values. */
    public static final Color[] SEQUENTIAL = {new Color(247, 251, 255), new Color(158, 202, 225), new Color(49, 130, 189), new Color(8, 48, 107)};
    /** Diverging scale (blue, white, red) for signed values such as NLL deltas. */
    public static final Color[] DIVERGING = {new Color(33, 102, 172), new Color(247, 247, 247), new Color(178, 24, 43)};

    private Heatmap() {
    }

    /**
     * One panel per matrix, in a grid, all on one scale; writes PNG, SVG and a long-form CSV
     * (panel, row, column, value).
     *
     * @param panels panel titles
     * @param matrices [P][rows][cols]
     * @param rowName e.g. "layer"; rows are numbered from 0
     * @param colName e.g. "expert"
     * @param diverging symmetric scale around 0 when true
     */
    public static void write(Path dir, String name, String title, List<String> panels, List<double[][]> matrices,
                             String rowName, String colName, boolean diverging) throws IOException {
        if (panels.size() != matrices.size() || panels.isEmpty()) {
            throw new IllegalArgumentException("heatmap needs one title per matrix");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[][] m : matrices) {
            for (double[] row : m) {
                for (double v : row) {
                    if (Double.isFinite(v)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
        }
        if (!(min <= max)) {
            min = 0;
            max = 1;
        }
        if (diverging) {
            double a = Math.max(Math.abs(min), Math.abs(max));
            min = -a;
            max = a;
        }
        if (!diverging && min >= 0 && max <= 1) {
            min = 0;  // probabilities: a fixed, readable scale
            max = max > 0.5 ? 1 : niceCeiling(max);
        }
        if (min == max) {
            max = min + 1e-12;
        }
        int rows = matrices.get(0).length;
        int cols = matrices.get(0)[0].length;
        int cellW = Math.max(470, 34 * cols + 260);
        int cellH = Math.max(320, 16 * rows + 120);
        int columns = Math.min(3, panels.size());
        List<HeatMapChart> charts = new ArrayList<>();
        for (int p = 0; p < panels.size(); p++) {
            charts.add(chart(panels.size() == 1 ? title : panels.get(p), matrices.get(p), rowName, colName, min, max,
                    diverging, cellW, cellH));
        }
        int gridRows = (panels.size() + columns - 1) / columns;
        PlotWriter.write(dir, name, PlotWriter.grid(charts, columns, cellW, cellH), columns * cellW, gridRows * cellH);
        List<List<?>> data = new ArrayList<>();
        for (int p = 0; p < panels.size(); p++) {
            double[][] m = matrices.get(p);
            for (int r = 0; r < m.length; r++) {
                for (int c = 0; c < m[r].length; c++) {
                    data.add(List.of(panels.get(p), r, c, m[r][c]));
                }
            }
        }
        PlotWriter.writeCsv(dir.resolve(name + ".csv"), List.of("panel", rowName, colName, "value"), data);
    }

    /** The smallest of 1, 2, 5 x 10^k at or above v (v > 0). */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static HeatMapChart chart(String title, double[][] m, String rowName, String colName, double min, double max,
                                      boolean diverging, int w, int h) {
        HeatMapChart chart = new HeatMapChartBuilder().width(w).height(h).title(title).xAxisTitle(colName)
                .yAxisTitle(rowName).build();
        Fonts.apply(chart.getStyler());
        chart.getStyler().setRangeColors(diverging ? DIVERGING : SEQUENTIAL);
        chart.getStyler().setMin(min);
        chart.getStyler().setMax(max);
        chart.getStyler().setShowValue(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setHeatMapDecimalValueFormatter(v -> String.format("%.3g", v));
        chart.getStyler().setGradientColorColumnWeight(14);
        chart.getStyler().setGradientColorColumnHeight(Math.max(120, h - 200));
        List<Integer> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int c = 0; c < m[0].length; c++) {
            xs.add(c);
        }
        for (int r = 0; r < m.length; r++) {
            ys.add(r);
        }
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[r].length; c++) {
                cells.add(new Number[] {c, r, Double.isFinite(m[r][c]) ? m[r][c] : min});
            }
        }
        chart.addSeries(title, xs, ys, cells);
        return chart;
    }
}
