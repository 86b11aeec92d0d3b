package dev.routelens.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;

/**
 * Grouped bars: categories on x (e.g. the experts of one layer), one bar per series in each group (e.g. one per
 * class, in {@link ClassStyle} colours).
 *
 * <p>Up to 16 categories each group is 40 + 16 points per series wide and every category is labelled; with more
 * (64 or 128 experts) the groups narrow so the chart stays about 1,800 points wide, and every 2nd, 4th, 8th...
 * category is labelled. The CSV keeps every category.
 */
public final class BarChart implements SingleChartPlot {

    private final String title;
    private final String xAxis;
    private final String yAxis;
    private final List<String> categories;
    private final Map<String, double[]> series; // name -> [categories]
    private final double reference;             // NaN for none
    private final String referenceLabel;        // its legend entry

    private BarChart(String title, String xAxis, String yAxis, List<String> categories, Map<String, double[]> series,
                     double reference, String referenceLabel) {
        this.title = title;
        this.xAxis = xAxis;
        this.yAxis = yAxis;
        this.categories = categories;
        this.series = series;
        this.reference = reference;
        this.referenceLabel = referenceLabel;
    }

    /**
     * Writes grouped bars with the default {@link PlotWriter}.
     *
     * @param categories x categories {@code [C]}
     * @param series     series (class) names {@code [S]}
     * @param values     {@code [S, C]}
     * @param reference  a dashed horizontal reference (e.g. the uniform share 1/E), or NaN for none
     */
    public static WrittenPlot write(Path dir, String name, String title, String xTitle, String yTitle,
                                    List<String> categories, List<String> series, double[][] values, double reference)
            throws IOException {
        return write(dir, name, title, xTitle, yTitle, categories, series, values, reference, "reference");
    }

    /** {@link #write(Path, String, String, String, String, List, List, double[][], double)} naming the reference in the legend. */
    public static WrittenPlot write(Path dir, String name, String title, String xTitle, String yTitle,
                                    List<String> categories, List<String> series, double[][] values, double reference,
                                    String referenceLabel) throws IOException {
        if (series == null || values == null || series.size() != values.length) {
            throw new IllegalArgumentException("bar chart '" + title + "': " + (series == null ? 0 : series.size())
                    + " series names for " + (values == null ? 0 : values.length) + " value rows");
        }
        Map<String, double[]> bySeries = new LinkedHashMap<>();
        for (int s = 0; s < series.size(); s++) {
            if (bySeries.put(series.get(s), values[s]) != null) {
                throw new IllegalArgumentException("bar chart '" + title + "': series '" + series.get(s) + "' twice");
            }
        }
        BarChart chart = grouped(title, xTitle, yTitle, categories, bySeries);
        return new PlotWriter(dir).write(name, Double.isNaN(reference) ? chart : chart.withReference(reference, referenceLabel));
    }

    /** The same chart with a dashed horizontal line at {@code value}, "reference" in the legend. */
    public BarChart withReference(double value) {
        return withReference(value, "reference");
    }

    /** The same chart with a dashed horizontal line at {@code value}, named {@code label} in the legend. */
    public BarChart withReference(double value, String label) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("bar chart '" + title + "': reference must be finite, got " + value);
        }
        return new BarChart(title, xAxis, yAxis, categories, series, value,
                label == null || label.isBlank() ? "reference" : label);
    }

    /** The dashed line's legend entry, or null when there is no reference line. */
    public String referenceLabel() {
        return Double.isNaN(reference) ? null : referenceLabel;
    }

    /**
     * Bars for every series over {@code categories}; series are drawn in legend order (Figure 1 classes first).
     *
     * @param series name -> one finite value per category
     */
    public static BarChart grouped(String title, String xAxis, String yAxis, List<String> categories,
                                   Map<String, double[]> series) {
        if (categories == null || categories.isEmpty() || series == null || series.isEmpty()) {
            throw new IllegalArgumentException("bar chart '" + title + "': needs categories and series");
        }
        Map<String, double[]> ordered = new LinkedHashMap<>();
        for (String name : ClassStyle.order(series.keySet())) {
            double[] values = series.get(name);
            if (values == null || values.length != categories.size()) {
                throw new IllegalArgumentException("bar chart '" + title + "': series '" + name + "' has "
                        + (values == null ? "no" : String.valueOf(values.length)) + " values for "
                        + categories.size() + " categories");
            }
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("bar chart '" + title + "': series '" + name + "' holds " + v);
                }
            }
            ordered.put(name, values.clone());
        }
        return new BarChart(title, xAxis, yAxis, List.copyOf(categories), ordered, Double.NaN, null);
    }

    /**
     * Share of routing slots each expert of one layer receives, per class.
     *
     * @param sharesByClass class -> {@code [E]} shares (each class's shares usually sum to 1)
     */
    public static BarChart expertShare(int layer, Map<String, double[]> sharesByClass) {
        int experts = sharesByClass.values().iterator().next().length;
        return grouped("Expert share per class, layer " + layer, "expert", "share of routing slots",
                Heatmap.numbered("E", experts), sharesByClass);
    }

    /** Categories up to which groups keep their full width. */
    static final int FULL_SIZE_CATEGORIES = 16;

    private int groupWidth() {
        int full = 40 + 16 * series.size();
        return categories.size() <= FULL_SIZE_CATEGORIES ? full : Math.min(full, Math.max(8, 1560 / categories.size()));
    }

    @Override
    public int width() {
        return Math.max(900, 260 + categories.size() * groupWidth()) + (Double.isNaN(reference) ? 0 : legendWidth());
    }

    /** Room for the legend drawn beside the chart when there is a reference line (XChart's legend omits it). */
    private int legendWidth() {
        java.awt.Graphics2D probe = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB)
                .createGraphics();
        java.awt.FontMetrics fm = probe.getFontMetrics(PlotStyle.LEGEND);
        probe.dispose();
        int widest = fm.stringWidth(referenceLabel);
        for (String name : series.keySet()) {
            widest = Math.max(widest, fm.stringWidth(name));
        }
        return 40 + LEGEND_KEY + 10 + widest + 20;
    }

    private static final int LEGEND_KEY = 36;
    private static final BasicStroke REFERENCE_STROKE =
            new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f);

    /** With a reference line the figure is painted here (chart, then a legend that names the line too). */
    @Override
    public java.util.Optional<org.knowm.xchart.internal.chartpart.Chart<?, ?>> chart() {
        return Double.isNaN(reference) ? java.util.Optional.of(build()) : java.util.Optional.empty();
    }

    @Override
    public void paint(java.awt.Graphics2D g) {
        if (Double.isNaN(reference)) {
            ChartText.paint(build(), g, width(), height());
            return;
        }
        int chartWidth = width() - legendWidth();
        CategoryChart chart = build();
        chart.getStyler().setLegendVisible(false);
        ChartText.paint(chart, g, chartWidth, height());
        g.setFont(PlotStyle.LEGEND);
        java.awt.FontMetrics fm = g.getFontMetrics();
        int line = fm.getHeight() + 10;
        int entries = series.size() + 1;
        int boxLeft = chartWidth + 10;
        int boxTop = (height() - entries * line - 16) / 2;
        g.setColor(Color.WHITE);
        g.fillRect(boxLeft, boxTop, legendWidth() - 30, entries * line + 16);
        g.setColor(Color.LIGHT_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(boxLeft, boxTop, legendWidth() - 30, entries * line + 16);
        List<ClassStyle> styles = ClassStyle.forLabels(new ArrayList<>(series.keySet()));
        int y = boxTop + 8;
        int s = 0;
        for (String name : series.keySet()) {
            int mid = y + line / 2;
            g.setColor(styles.get(s++).color());
            g.fillRect(boxLeft + 10 + (LEGEND_KEY - 20) / 2, mid - 10, 20, 20);
            g.setColor(Color.BLACK);
            g.drawString(name, boxLeft + 10 + LEGEND_KEY + 10, mid + (fm.getAscent() - fm.getDescent()) / 2);
            y += line;
        }
        int mid = y + line / 2;
        g.setColor(Color.DARK_GRAY);
        g.setStroke(REFERENCE_STROKE);
        g.drawLine(boxLeft + 10, mid, boxLeft + 10 + LEGEND_KEY, mid);
        g.setColor(Color.BLACK);
        g.drawString(referenceLabel, boxLeft + 10 + LEGEND_KEY + 10, mid + (fm.getAscent() - fm.getDescent()) / 2);
    }

    /**
     * The x tick labels: every category, or with many, every step-th (the least power of two that spaces them
     * 36 points apart). XChart merges equal categories, so each unlabelled one is a distinct run of zero-width
     * spaces.
     */
    private List<String> tickLabels() {
        int step = 1;
        while (step * groupWidth() < 36 && step < categories.size()) {
            step *= 2;
        }
        if (step == 1) {
            return categories;
        }
        List<String> out = new ArrayList<>(categories.size());
        for (int i = 0; i < categories.size(); i++) {
            out.add(i % step == 0 ? categories.get(i) : "\u200B".repeat(1 + i));
        }
        return out;
    }

    @Override
    public int height() {
        return 600;
    }

    @Override
    public CategoryChart build() {
        CategoryChart chart = new CategoryChart(width(), height());
        chart.setTitle(title);
        chart.setXAxisTitle(xAxis);
        chart.setYAxisTitle(yAxis);
        CategoryStyler styler = chart.getStyler();
        PlotStyle.apply(styler);
        styler.setOverlapped(false);
        styler.setAvailableSpaceFill(0.85);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setYAxisDecimalPattern("0.###");
        double lowest = 0.0;
        for (double[] values : series.values()) {
            for (double v : values) {
                lowest = Math.min(lowest, v);
            }
        }
        styler.setYAxisMin(lowest);
        List<ClassStyle> styles = ClassStyle.forLabels(new ArrayList<>(series.keySet()));
        List<String> ticks = tickLabels();
        int s = 0;
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (double v : entry.getValue()) {
                values.add(v);
            }
            CategorySeries bars = chart.addSeries(entry.getKey(), ticks, values);
            bars.setFillColor(styles.get(s++).color());
        }
        if (!Double.isNaN(reference)) {
            styler.setAnnotationLineColor(Color.DARK_GRAY);
            styler.setAnnotationLineStroke(REFERENCE_STROKE);
            chart.addAnnotation(new AnnotationLine(reference, false, false));
        }
        return chart;
    }

    @Override
    public DataTable data() {
        List<String> header = new ArrayList<>();
        header.add(xAxis);
        header.addAll(series.keySet());
        if (!Double.isNaN(reference)) {
            header.add("reference");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < categories.size(); c++) {
            List<String> row = new ArrayList<>();
            row.add(categories.get(c));
            for (double[] values : series.values()) {
                row.add(DataTable.number(values[c]));
            }
            if (!Double.isNaN(reference)) {
                row.add(DataTable.number(reference));
            }
            rows.add(row);
        }
        return new DataTable(header, rows);
    }
}
