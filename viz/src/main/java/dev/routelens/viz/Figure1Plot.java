package dev.routelens.viz;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/**
 * Figure 1: documents embedded in two or three dimensions, coloured and shaped by class.
 *
 * <p>A 2-D embedding is one scatter plot with a legend. A 3-D embedding is a 2 x 2 figure drawn as one image
 * (and one SVG canvas): (a) an oblique view, the points rotated by an azimuth about the third axis and
 * tilted by an elevation, then projected on the screen plane; (b)-(d) the axis-pair projections 1-2, 1-3 and
 * 2-3. All panels share one coordinate range, so distances compare across panels; one legend sits below.
 * Within a panel, classes are drawn in legend order (no depth sorting).
 */
public final class Figure1Plot implements Plot {

    public static final double DEFAULT_AZIMUTH = 35.0;
    public static final double DEFAULT_ELEVATION = 25.0;

    private static final int PANEL_WIDTH = 600;
    private static final int PANEL_HEIGHT = 540;
    private static final int TITLE_HEIGHT = PlotStyle.FIGURE_TITLE_HEIGHT;
    private static final int LEGEND_HEIGHT = 64;

    private final double[][] coords; // [N, dims]
    private final String[] labels;   // [N]
    private final String[] ids;      // [N] document ids, or null: row numbers
    private final String title;
    private final String axisPrefix;
    private final double azimuth;
    private final double elevation;
    private final List<String> legendOrder;
    private final List<ClassStyle> styles;

    private Figure1Plot(double[][] coords, String[] labels, String[] ids, String title, String axisPrefix,
                        double azimuth, double elevation) {
        this.coords = coords;
        this.labels = labels;
        this.ids = ids;
        this.title = title;
        this.axisPrefix = axisPrefix;
        this.azimuth = azimuth;
        this.elevation = elevation;
        this.legendOrder = ClassStyle.order(new TreeSet<>(Arrays.asList(labels))); // others sorted
        this.styles = ClassStyle.forLabels(legendOrder);
    }

    /**
     * A Figure 1 plot of {@code coords} ({@code [N, 2]} or {@code [N, 3]}, finite) with one label per row.
     *
     * @param axisPrefix axis names are this plus 1, 2, 3, e.g. "t-SNE " gives "t-SNE 1"
     */
    public static Figure1Plot of(double[][] coords, String[] labels, String title, String axisPrefix) {
        if (coords == null || coords.length == 0) {
            throw new IllegalArgumentException("Figure 1: no points");
        }
        int dims = coords[0].length;
        if (dims != 2 && dims != 3) {
            throw new IllegalArgumentException("Figure 1: embedding must have 2 or 3 dimensions, got " + dims);
        }
        if (labels == null || labels.length != coords.length) {
            throw new IllegalArgumentException("Figure 1: " + coords.length + " points but "
                    + (labels == null ? "no" : String.valueOf(labels.length)) + " labels");
        }
        for (int i = 0; i < coords.length; i++) {
            if (coords[i] == null || coords[i].length != dims) {
                throw new IllegalArgumentException("Figure 1: row " + i + " is not " + dims + " wide");
            }
            for (double v : coords[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("Figure 1: row " + i + " holds " + v);
                }
            }
            if (labels[i] == null) {
                throw new IllegalArgumentException("Figure 1: label " + i + " is null");
            }
        }
        double[][] copy = new double[coords.length][];
        for (int i = 0; i < coords.length; i++) {
            copy[i] = coords[i].clone();
        }
        return new Figure1Plot(copy, labels.clone(), null, title == null ? "" : title,
                axisPrefix == null ? "dimension " : axisPrefix, DEFAULT_AZIMUTH, DEFAULT_ELEVATION);
    }

    /**
     * Writes {@code dir/name.png}, {@code .svg} and {@code .csv} with the default {@link PlotWriter}.
     *
     * @param labels class of each point {@code [N]}
     * @param coords embedding {@code [N, 2]} or {@code [N, 3]}
     * @param axis   axis name stem, e.g. "t-SNE" gives axes "t-SNE 1", "t-SNE 2", ...
     */
    public static WrittenPlot write(Path dir, String name, String title, String[] labels, double[][] coords,
                                    String axis) throws IOException {
        return new PlotWriter(dir).write(name, of(coords, labels, title, prefix(axis)));
    }

    /** {@link #write(Path, String, String, String[], double[][], String)} naming each point by {@code ids} {@code [N]}. */
    public static WrittenPlot write(Path dir, String name, String title, String[] ids, String[] labels,
                                    double[][] coords, String axis) throws IOException {
        return new PlotWriter(dir).write(name, of(coords, labels, title, prefix(axis)).withIds(ids));
    }

    private static String prefix(String axis) {
        return axis == null || axis.isEmpty() || axis.endsWith(" ") ? axis : axis + " ";
    }

    /** The same plot seen from another direction (degrees; elevation in [-90, 90]). */
    public Figure1Plot withView(double azimuthDegrees, double elevationDegrees) {
        if (!Double.isFinite(azimuthDegrees) || !(Math.abs(elevationDegrees) <= 90.0)) {
            throw new IllegalArgumentException("Figure 1: view needs a finite azimuth and an elevation in [-90, 90]");
        }
        return new Figure1Plot(coords, labels, ids, title, axisPrefix, azimuthDegrees, elevationDegrees);
    }

    /** The same plot whose CSV names each point by its document id ({@code [N]}) instead of its row number. */
    public Figure1Plot withIds(String[] ids) {
        if (ids == null || ids.length != coords.length) {
            throw new IllegalArgumentException("Figure 1: " + coords.length + " points but "
                    + (ids == null ? "no" : String.valueOf(ids.length)) + " ids");
        }
        return new Figure1Plot(coords, labels, ids.clone(), title, axisPrefix, azimuth, elevation);
    }

    public int dims() {
        return coords[0].length;
    }

    @Override
    public int width() {
        return dims() == 2 ? 900 : 2 * PANEL_WIDTH;
    }

    @Override
    public int height() {
        return dims() == 2 ? 720 : TITLE_HEIGHT + 2 * PANEL_HEIGHT + LEGEND_HEIGHT;
    }

    /**
     * Screen coordinates of a 3-D point: rotate by {@code azimuth} about axis 3, tilt by {@code elevation},
     * keep the horizontal and vertical screen axes. Returns {horizontal, vertical}.
     */
    public static double[] project(double[] point, double azimuthDegrees, double elevationDegrees) {
        double az = Math.toRadians(azimuthDegrees);
        double el = Math.toRadians(elevationDegrees);
        double horizontal = point[0] * Math.cos(az) - point[1] * Math.sin(az);
        double depth = point[0] * Math.sin(az) + point[1] * Math.cos(az);
        double vertical = point[2] * Math.cos(el) - depth * Math.sin(el);
        return new double[] {horizontal, vertical};
    }

    private String axis(int d) {
        return axisPrefix + (d + 1);
    }

    @Override
    public Optional<Chart<?, ?>> chart() {
        return dims() == 2 ? Optional.of(scatter(0, 1, title, axis(0), axis(1), width(), height(), true)) : Optional.empty();
    }

    @Override
    public void paint(Graphics2D g) {
        if (dims() == 2) {
            scatter(0, 1, title, axis(0), axis(1), width(), height(), true).paint(g, width(), height());
            return;
        }
        PlotStyle.figureCanvas(g, width(), height(), title, width());

        String oblique = String.format(Locale.ROOT, "(a) oblique view (azimuth %.0f\u00b0, elevation %.0f\u00b0)",
                azimuth, elevation);
        List<XYChart> panels = List.of(
                scatter(-1, -1, oblique, "screen x", "screen y", PANEL_WIDTH, PANEL_HEIGHT, false),
                scatter(0, 1, "(b) " + axis(0) + " vs " + axis(1), axis(0), axis(1), PANEL_WIDTH, PANEL_HEIGHT, false),
                scatter(0, 2, "(c) " + axis(0) + " vs " + axis(2), axis(0), axis(2), PANEL_WIDTH, PANEL_HEIGHT, false),
                scatter(1, 2, "(d) " + axis(1) + " vs " + axis(2), axis(1), axis(2), PANEL_WIDTH, PANEL_HEIGHT, false));
        for (int p = 0; p < panels.size(); p++) {
            Graphics2D panel = (Graphics2D) g.create((p % 2) * PANEL_WIDTH, TITLE_HEIGHT + (p / 2) * PANEL_HEIGHT,
                    PANEL_WIDTH, PANEL_HEIGHT);
            try {
                panels.get(p).paint(panel, PANEL_WIDTH, PANEL_HEIGHT);
            } finally {
                panel.dispose();
            }
        }
        paintLegend(g, TITLE_HEIGHT + 2 * PANEL_HEIGHT);
    }

    /** One row of marker + label entries, centred; wraps onto a second row when too wide. */
    private void paintLegend(Graphics2D g, int top) {
        g.setFont(PlotStyle.LEGEND);
        FontMetrics fm = g.getFontMetrics();
        int marker = 14;
        int gap = 30;
        List<List<Integer>> rows = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int rowWidth = 0;
        for (int s = 0; s < styles.size(); s++) {
            int entry = marker + 8 + fm.stringWidth(styles.get(s).label());
            if (!current.isEmpty() && rowWidth + gap + entry > width() - 40) {
                rows.add(current);
                current = new ArrayList<>();
                rowWidth = 0;
            }
            rowWidth += (current.isEmpty() ? 0 : gap) + entry;
            current.add(s);
        }
        rows.add(current);
        int lineHeight = fm.getHeight() + 6;
        int y = top + (LEGEND_HEIGHT - rows.size() * lineHeight) / 2 + fm.getAscent();
        for (List<Integer> row : rows) {
            int total = 0;
            for (int s : row) {
                total += (total == 0 ? 0 : gap) + marker + 8 + fm.stringWidth(styles.get(s).label());
            }
            int x = (width() - total) / 2;
            for (int s : row) {
                ClassStyle style = styles.get(s);
                g.setColor(style.color());
                style.marker().paint(g, x + marker / 2.0, y - fm.getAscent() / 2.0 + 2, marker);
                g.setColor(Color.BLACK);
                g.drawString(style.label(), x + marker + 8, y);
                x += marker + 8 + fm.stringWidth(style.label()) + gap;
            }
            y += lineHeight;
        }
    }

    /** Axis pair (a, b), or the oblique projection when a < 0. */
    private XYChart scatter(int a, int b, String chartTitle, String xTitle, String yTitle, int w, int h,
                            boolean legend) {
        XYChart chart = new XYChart(w, h);
        chart.setTitle(chartTitle);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        XYStyler styler = chart.getStyler();
        PlotStyle.apply(styler);
        if (!legend) {
            styler.setChartTitleFont(PlotStyle.TITLE.deriveFont(18f));
        }
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        styler.setLegendVisible(legend);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        int n = coords.length;
        styler.setMarkerSize(n > 5000 ? 4 : n > 1000 ? 6 : 8);
        double[][] screen = a < 0 ? projected() : null; // [N, 2]
        double[] range = range(screen, a, b);
        styler.setXAxisMin(range[0]);
        styler.setXAxisMax(range[1]);
        styler.setYAxisMin(range[2]);
        styler.setYAxisMax(range[3]);
        styler.setXAxisDecimalPattern("0.#");
        styler.setYAxisDecimalPattern("0.#");
        int alpha = n > 5000 ? 150 : 210;
        for (ClassStyle style : styles) {
            int count = 0;
            for (String label : labels) {
                count += label.equals(style.label()) ? 1 : 0;
            }
            double[] xs = new double[count];
            double[] ys = new double[count];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (labels[i].equals(style.label())) {
                    xs[m] = screen != null ? screen[i][0] : coords[i][a];
                    ys[m] = screen != null ? screen[i][1] : coords[i][b];
                    m++;
                }
            }
            XYSeries series = chart.addSeries(style.label() + " (" + count + ")", xs, ys);
            series.setMarker(style.marker());
            series.setMarkerColor(style.withAlpha(alpha));
        }
        return chart;
    }

    private double[][] projected() {
        double[][] out = new double[coords.length][];
        for (int i = 0; i < coords.length; i++) {
            out[i] = project(coords[i], azimuth, elevation);
        }
        return out;
    }

    /** {xMin, xMax, yMin, yMax}: one half-width R for all axes of the figure, centred per axis. */
    private double[] range(double[][] screen, int a, int b) {
        int dims = dims();
        double[] min = new double[dims];
        double[] max = new double[dims];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (double[] row : coords) {
            for (int d = 0; d < dims; d++) {
                min[d] = Math.min(min[d], row[d]);
                max[d] = Math.max(max[d], row[d]);
            }
        }
        double[] centre = new double[dims];
        double half = 0.0;
        for (int d = 0; d < dims; d++) {
            centre[d] = 0.5 * (min[d] + max[d]);
            half = Math.max(half, 0.5 * (max[d] - min[d]));
        }
        if (screen == null) {
            half = half * 1.06 + 1e-9;
            return new double[] {centre[a] - half, centre[a] + half, centre[b] - half, centre[b] + half};
        }
        double[] c = project(centre, azimuth, elevation);
        double reach = 0.0;
        for (double[] p : screen) {
            reach = Math.max(reach, Math.max(Math.abs(p[0] - c[0]), Math.abs(p[1] - c[1])));
        }
        reach = reach * 1.06 + 1e-9;
        return new double[] {c[0] - reach, c[0] + reach, c[1] - reach, c[1] + reach};
    }

    @Override
    public DataTable data() {
        // The columns of tsne.csv (id, label, x, y, z), then where the oblique panel draws each point.
        List<String> header = new ArrayList<>(List.of("id", "label", "x", "y", "z").subList(0, 2 + dims()));
        if (dims() == 3) {
            header.add("oblique_x");
            header.add("oblique_y");
        }
        List<List<String>> rows = new ArrayList<>(coords.length);
        for (int i = 0; i < coords.length; i++) {
            List<String> row = new ArrayList<>(header.size());
            row.add(ids != null ? ids[i] : Integer.toString(i));
            row.add(labels[i]);
            for (double v : coords[i]) {
                row.add(DataTable.number(v));
            }
            if (dims() == 3) {
                double[] p = project(coords[i], azimuth, elevation);
                row.add(DataTable.number(p[0]));
                row.add(DataTable.number(p[1]));
            }
            rows.add(row);
        }
        return new DataTable(header, rows);
    }
}
