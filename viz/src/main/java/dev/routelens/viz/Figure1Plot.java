package dev.routelens.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * SciDFM's Figure 1: documents' expert-choice vectors embedded in 3-D, one colour and marker per class.
 * A 3-D embedding is drawn as one oblique view (rotated by an azimuth and elevation, then projected)
 * plus the three axis-pair projections, in a 2 x 2 grid; a 2-D embedding as one scatter plot.
 */
public final class Figure1Plot {
    /** Viewing angles of the oblique panel, in degrees. */
    public static final double AZIMUTH = 35;
    public static final double ELEVATION = 25;

    private static final int CELL_W = 560;
    private static final int CELL_H = 460;

    private Figure1Plot() {
    }

    /**
     * Writes {@code dir/name.png}, {@code .svg} and the plotted coordinates as {@code name.csv}.
     *
     * @param labels class of each point [N]
     * @param coords embedding [N][2 or 3]
     * @param axis axis name stem, e.g. "t-SNE"
     */
    public static void write(Path dir, String name, String title, String[] labels, double[][] coords, String axis)
            throws IOException {
        int dims = coords.length == 0 ? 0 : coords[0].length;
        if (dims != 2 && dims != 3) {
            throw new IllegalArgumentException("Figure 1 needs a 2-D or 3-D embedding, got " + dims + " dimensions");
        }
        if (labels.length != coords.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + coords.length + " points");
        }
        List<String> order = ClassStyle.order(List.of(labels));
        if (dims == 2) {
            XYChart chart = scatter(title, labels, coords, 0, 1, axis + " 1", axis + " 2", order, true);
            PlotWriter.write(dir, name, PlotWriter.single(chart), 2 * CELL_W - 200, 2 * CELL_H - 200);
        } else {
            double[][] oblique = oblique(coords);
            List<XYChart> panels = new ArrayList<>();
            panels.add(scatter(title, labels, oblique, 0, 1, "", "", order, true));
            panels.add(scatter(axis + " 1 vs 2", labels, coords, 0, 1, axis + " 1", axis + " 2", order, false));
            panels.add(scatter(axis + " 1 vs 3", labels, coords, 0, 2, axis + " 1", axis + " 3", order, false));
            panels.add(scatter(axis + " 2 vs 3", labels, coords, 1, 2, axis + " 2", axis + " 3", order, false));
            PlotWriter.write(dir, name, PlotWriter.grid(panels, 2, CELL_W, CELL_H), 2 * CELL_W, 2 * CELL_H);
        }
        List<String> header = new ArrayList<>(List.of("label"));
        for (int k = 0; k < dims; k++) {
            header.add(axis.toLowerCase().replaceAll("[^a-z0-9]", "") + (k + 1));
        }
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < coords.length; i++) {
            List<Object> row = new ArrayList<>();
            row.add(labels[i]);
            for (double v : coords[i]) {
                row.add(v);
            }
            rows.add(row);
        }
        PlotWriter.writeCsv(dir.resolve(name + ".csv"), header, rows);
    }

    /** Rotates by the azimuth about z, then by the elevation about x, and keeps (x, y). [N][3] -> [N][2] */
    static double[][] oblique(double[][] c) {
        double a = Math.toRadians(AZIMUTH);
        double e = Math.toRadians(ELEVATION);
        double[][] out = new double[c.length][2];
        for (int i = 0; i < c.length; i++) {
            double x = c[i][0] * Math.cos(a) - c[i][1] * Math.sin(a);
            double y = c[i][0] * Math.sin(a) + c[i][1] * Math.cos(a);
            double z = c[i][2];
            out[i][0] = x;
            out[i][1] = y * Math.sin(e) + z * Math.cos(e);
        }
        return out;
    }

    private static XYChart scatter(String title, String[] labels, double[][] c, int i, int j, String xTitle,
                                   String yTitle, List<String> order, boolean legend) {
        XYChart chart = new XYChartBuilder().width(CELL_W).height(CELL_H).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        Fonts.apply(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setLegendVisible(legend);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setAxisTicksVisible(!xTitle.isEmpty());
        chart.getStyler().setXAxisDecimalPattern("0.#");
        chart.getStyler().setYAxisDecimalPattern("0.#");
        for (int k = 0; k < order.size(); k++) {
            String label = order.get(k);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int n = 0; n < labels.length; n++) {
                if (labels[n].equals(label)) {
                    xs.add(c[n][i]);
                    ys.add(c[n][j]);
                }
            }
            XYSeries s = chart.addSeries(label, xs, ys);
            ClassStyle style = ClassStyle.of(label, k);
            s.setMarker(style.marker());
            s.setMarkerColor(style.color());
        }
        return chart;
    }
}
