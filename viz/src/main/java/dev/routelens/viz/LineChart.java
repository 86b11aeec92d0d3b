package dev.routelens.viz;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Lines sharing one x series, e.g. training and held-out loss against step. NaN y values leave gaps in the CSV
 * and are skipped in the drawing.
 */
public final class LineChart implements SingleChartPlot {

    private final String title;
    private final String xAxis;
    private final String yAxis;
    private final double[] x;                    // [T]
    private final Map<String, double[]> series;  // name -> [T]
    private final boolean logY;

    private LineChart(String title, String xAxis, String yAxis, double[] x, Map<String, double[]> series, boolean logY) {
        this.title = title;
        this.xAxis = xAxis;
        this.yAxis = yAxis;
        this.x = x;
        this.series = series;
        this.logY = logY;
    }

    /**
     * @param x      finite x values {@code [T]}
     * @param series name -> y values {@code [T]} (NaN for missing), kept in the given order
     */
    public static LineChart of(String title, String xAxis, String yAxis, double[] x, Map<String, double[]> series) {
        if (x == null || x.length == 0 || series == null || series.isEmpty()) {
            throw new IllegalArgumentException("line chart '" + title + "': needs x values and at least one series");
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("line chart '" + title + "': x holds " + v);
            }
        }
        Map<String, double[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            double[] y = entry.getValue();
            if (y == null || y.length != x.length) {
                throw new IllegalArgumentException("line chart '" + title + "': series '" + entry.getKey() + "' has "
                        + (y == null ? "no" : String.valueOf(y.length)) + " values for " + x.length + " x values");
            }
            for (double v : y) {
                if (Double.isInfinite(v)) {
                    throw new IllegalArgumentException("line chart '" + title + "': series '" + entry.getKey()
                            + "' holds " + v);
                }
            }
            copy.put(entry.getKey(), y.clone());
        }
        return new LineChart(title, xAxis, yAxis, x.clone(), copy, false);
    }

    /**
     * Writes lines with the default {@link PlotWriter}.
     *
     * @param x     shared x values {@code [T]}
     * @param names series names {@code [S]}
     * @param ys    {@code [S][T]}
     */
    public static WrittenPlot write(Path dir, String name, String title, String xTitle, String yTitle, double[] x,
                                    List<String> names, List<double[]> ys) throws IOException {
        if (names == null || ys == null || names.size() != ys.size()) {
            throw new IllegalArgumentException("line chart '" + title + "': names and series differ in number");
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int s = 0; s < names.size(); s++) {
            if (series.put(names.get(s), ys.get(s)) != null) {
                throw new IllegalArgumentException("line chart '" + title + "': series '" + names.get(s) + "' twice");
            }
        }
        return new PlotWriter(dir).write(name, of(title, xTitle, yTitle, x, series));
    }

    /** The same chart with a logarithmic y axis (y values must then be positive or NaN). */
    public LineChart withLogY() {
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            for (double v : entry.getValue()) {
                if (v <= 0) {
                    throw new IllegalArgumentException("line chart '" + title + "': log axis but series '"
                            + entry.getKey() + "' holds " + v);
                }
            }
        }
        return new LineChart(title, xAxis, yAxis, x, series, true);
    }

    @Override
    public int width() {
        return 900;
    }

    @Override
    public int height() {
        return 560;
    }

    @Override
    public XYChart build() {
        XYChart chart = new XYChart(width(), height());
        chart.setTitle(title);
        chart.setXAxisTitle(xAxis);
        chart.setYAxisTitle(yAxis);
        XYStyler styler = chart.getStyler();
        PlotStyle.apply(styler);
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        styler.setYAxisLogarithmic(logY);
        styler.setXAxisDecimalPattern("0.###");
        styler.setXAxisTickMarkSpacingHint(110);
        List<ClassStyle> styles = ClassStyle.forLabels(new ArrayList<>(series.keySet()));
        int s = 0;
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int t = 0; t < x.length; t++) {
                if (!Double.isNaN(entry.getValue()[t])) {
                    xs.add(x[t]);
                    ys.add(entry.getValue()[t]);
                }
            }
            if (xs.isEmpty()) {
                continue; // nothing to draw; the CSV still lists it
            }
            XYSeries line = chart.addSeries(entry.getKey(), xs, ys);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(styles.get(s++).color());
            line.setLineStyle(new BasicStroke(2.5f));
        }
        return chart;
    }

    @Override
    public DataTable data() {
        List<String> header = new ArrayList<>();
        header.add(xAxis);
        header.addAll(series.keySet());
        List<List<String>> rows = new ArrayList<>();
        for (int t = 0; t < x.length; t++) {
            List<String> row = new ArrayList<>();
            row.add(DataTable.number(x[t]));
            for (double[] y : series.values()) {
                row.add(Double.isNaN(y[t]) ? "" : DataTable.number(y[t]));
            }
            rows.add(row);
        }
        return new DataTable(header, rows);
    }
}
