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
    private final String caption; // a small line under the legend (model, seed, perplexity); "" for none

    private Figure1Plot(double[][] coords, String[] labels, String[] ids, String title, String axisPrefix,
                        double azimuth, double elevation, String caption) {
        this.coords = coords;
        this.labels = labels;
        this.ids = ids;
        this.title = title;
        this.axisPrefix = axisPrefix;
        this.azimuth = azimuth;
        this.elevation = elevation;
        this.legendOrder = ClassStyle.order(new TreeSet<>(Arrays.asList(labels))); // others sorted
        this.styles = ClassStyle.forLabels(legendOrder);
        this.caption = caption;
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
                axisPrefix == null ? "dimension " : axisPrefix, DEFAULT_AZIMUTH, DEFAULT_ELEVATION, "");
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

    /**
     * {@link #write(Path, String, String, String[], String[], double[][], String)} with a caption line under the
     * legend. In {@code title}, {@code _X} (one word) is drawn as a subscript: "E_T" reads E with a subscript T.
     */
    public static WrittenPlot write(Path dir, String name, String title, String[] ids, String[] labels,
                                    double[][] coords, String axis, String caption) throws IOException {
        return new PlotWriter(dir).write(name, of(coords, labels, title, prefix(axis)).withIds(ids).withCaption(caption));
    }

    private static String prefix(String axis) {
        return axis == null || axis.isEmpty() || axis.endsWith(" ") ? axis : axis + " ";
    }

    /** The same plot seen from another direction (degrees; elevation in [-90, 90]). */
    public Figure1Plot withView(double azimuthDegrees, double elevationDegrees) {
        if (!Double.isFinite(azimuthDegrees) || !(Math.abs(elevationDegrees) <= 90.0)) {
            throw new IllegalArgumentException("Figure 1: view needs a finite azimuth and an elevation in [-90, 90]");
        }
        return new Figure1Plot(coords, labels, ids, title, axisPrefix, azimuthDegrees, elevationDegrees, caption);
    }

    /** The same plot whose CSV names each point by its document id ({@code [N]}) instead of its row number. */
    public Figure1Plot withIds(String[] ids) {
        if (ids == null || ids.length != coords.length) {
            throw new IllegalArgumentException("Figure 1: " + coords.length + " points but "
                    + (ids == null ? "no" : String.valueOf(ids.length)) + " ids");
        }
        return new Figure1Plot(coords, labels, ids.clone(), title, axisPrefix, azimuth, elevation, caption);
    }

    /** The same plot with a small caption line under the legend, e.g. model, seed and perplexity (null or "": none). */
    public Figure1Plot withCaption(String text) {
        return new Figure1Plot(coords, labels, ids, title, axisPrefix, azimuth, elevation, text == null ? "" : text.strip());
    }

    /** The caption line ("" for none). */
    public String caption() {
        return caption;
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
        return (dims() == 2 ? 720 : TITLE_HEIGHT + 2 * PANEL_HEIGHT + LEGEND_HEIGHT) + (caption.isEmpty() ? 0 : CAPTION_HEIGHT);
    }

    private static final int CAPTION_HEIGHT = 30;
    /** Band above each panel for its title, drawn as text (XChart draws titles as outlines). */
    private static final int PANEL_TITLE_HEIGHT = 34;
    /** Bands left of and below each panel for its axis titles. */
    private static final int AXIS_TITLE_BAND = 30;

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

    /** t-SNE's coordinates have no units and no meaningful values: its panels get no tick labels. */
    private boolean ticksMeanSomething() {
        return !axisPrefix.toLowerCase(Locale.ROOT).startsWith("t-sne");
    }

    /** Painted here (titles, legend and caption as text, E_T with a real subscript), never by XChart alone. */
    @Override
    public Optional<Chart<?, ?>> chart() {
        return Optional.empty();
    }

    @Override
    public void paint(Graphics2D g) {
        PlotStyle.figureCanvas(g, width(), height(), "", width());
        g.setFont(PlotStyle.FIGURE_TITLE);
        int titleWidth = PlotStyle.subscriptedWidth(g, title);
        FontMetrics tm = g.getFontMetrics();
        PlotStyle.drawSubscripted(g, title, (width() - titleWidth) / 2.0,
                (TITLE_HEIGHT + tm.getAscent() - tm.getDescent()) / 2.0);
        int panelsHeight;
        if (dims() == 2) {
            panelsHeight = 720 - TITLE_HEIGHT - LEGEND_HEIGHT;
            paintPanel(g, 0, TITLE_HEIGHT, width(), panelsHeight, "", 0, 1);
        } else {
            panelsHeight = 2 * PANEL_HEIGHT;
            String oblique = String.format(Locale.ROOT, "(a) oblique view (azimuth %.0f\u00b0, elevation %.0f\u00b0)",
                    azimuth, elevation);
            paintPanel(g, 0, TITLE_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT, oblique, -1, -1);
            paintPanel(g, PANEL_WIDTH, TITLE_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT,
                    "(b) " + axis(0) + " vs " + axis(1), 0, 1);
            paintPanel(g, 0, TITLE_HEIGHT + PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT,
                    "(c) " + axis(0) + " vs " + axis(2), 0, 2);
            paintPanel(g, PANEL_WIDTH, TITLE_HEIGHT + PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT,
                    "(d) " + axis(1) + " vs " + axis(2), 1, 2);
        }
        paintLegend(g, TITLE_HEIGHT + panelsHeight);
        if (!caption.isEmpty()) {
            g.setFont(PlotStyle.TICK_LABELS);
            g.setColor(Color.DARK_GRAY);
            FontMetrics cm = g.getFontMetrics();
            g.drawString(caption, (width() - cm.stringWidth(caption)) / 2,
                    TITLE_HEIGHT + panelsHeight + LEGEND_HEIGHT + (CAPTION_HEIGHT + cm.getAscent() - cm.getDescent()) / 2);
        }
    }

    /**
     * One panel in {@code [x, x + w] x [y, y + h]}: its title above, the scatter of axes (a, b) or, when a < 0, the
     * oblique view with a 3-D axis triad instead of screen axes; axis titles left and below.
     */
    private void paintPanel(Graphics2D g, int x, int y, int w, int h, String panelTitle, int a, int b) {
        boolean oblique = a < 0;
        int top = panelTitle.isEmpty() ? 0 : PANEL_TITLE_HEIGHT;
        int left = AXIS_TITLE_BAND; // the oblique panel keeps the bands too, so all frames line up
        int bottom = AXIS_TITLE_BAND;
        g.setColor(Color.BLACK);
        if (!panelTitle.isEmpty()) {
            g.setFont(PlotStyle.TITLE.deriveFont(18f));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(panelTitle, x + left + (w - left - fm.stringWidth(panelTitle)) / 2, y + top - 6);
        }
        if (!oblique) {
            g.setFont(PlotStyle.AXIS_TITLE);
            FontMetrics fm = g.getFontMetrics();
            String xTitle = axis(a);
            String yTitle = axis(b);
            g.drawString(xTitle, x + left + (w - left - fm.stringWidth(xTitle)) / 2, y + h - fm.getDescent() - 4);
            Graphics2D rotated = (Graphics2D) g.create();
            try {
                rotated.translate(x + fm.getAscent() + 4, y + top + (h - top - bottom + fm.stringWidth(yTitle)) / 2.0);
                rotated.rotate(-Math.PI / 2);
                rotated.drawString(yTitle, 0, 0);
            } finally {
                rotated.dispose();
            }
        }
        int cw = w - left;
        int ch = h - top - bottom;
        Graphics2D panel = (Graphics2D) g.create(x + left, y + top, cw, ch);
        try {
            ChartText.paint(scatter(a, b, dims() == 2, cw, ch), panel, cw, ch);
            if (oblique) {
                paintTriad(panel, 105, ch - 62, 46);
            }
        } finally {
            panel.dispose();
        }
    }

    /** Axes 1, 2, 3 as seen in the oblique view: unit vectors through {@link #project}, from (ox, oy). */
    private void paintTriad(Graphics2D g, double ox, double oy, double length) {
        g.setFont(PlotStyle.TICK_LABELS);
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new java.awt.BasicStroke(1.6f));
        for (int d = 0; d < 3; d++) {
            double[] unit = new double[3];
            unit[d] = 1.0;
            double[] p = project(unit, azimuth, elevation);
            double dx = p[0] * length;
            double dy = -p[1] * length; // screen y grows downwards
            double tipX = ox + dx;
            double tipY = oy + dy;
            g.setColor(Color.DARK_GRAY);
            g.draw(new java.awt.geom.Line2D.Double(ox, oy, tipX, tipY));
            double norm = Math.hypot(dx, dy);
            if (norm > 4) { // an axis seen end-on has no direction to point
                double ux = dx / norm;
                double uy = dy / norm;
                java.awt.geom.Path2D.Double head = new java.awt.geom.Path2D.Double();
                head.moveTo(tipX, tipY);
                head.lineTo(tipX - 8 * ux - 4 * uy, tipY - 8 * uy + 4 * ux);
                head.lineTo(tipX - 8 * ux + 4 * uy, tipY - 8 * uy - 4 * ux);
                head.closePath();
                g.fill(head);
            }
            String name = axis(d);
            double lx = ox + dx * 1.3 + (norm > 4 ? 0 : 6);
            double ly = oy + dy * 1.3;
            g.setColor(Color.BLACK);
            float textX = (float) (dx < -2 ? lx - fm.stringWidth(name) : dx > 2 ? lx : lx - fm.stringWidth(name) / 2.0);
            g.drawString(name, textX, (float) (ly + (fm.getAscent() - fm.getDescent()) / 2.0));
        }
    }

    /** One row of marker + "label (count)" entries, centred; wraps onto a second row when too wide. */
    private void paintLegend(Graphics2D g, int top) {
        g.setFont(PlotStyle.LEGEND);
        FontMetrics fm = g.getFontMetrics();
        int marker = 14;
        int gap = 30;
        List<List<Integer>> rows = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int rowWidth = 0;
        List<String> names = new ArrayList<>();
        for (ClassStyle style : styles) {
            names.add(style.label() + " (" + Arrays.stream(labels).filter(style.label()::equals).count() + ")");
        }
        for (int s = 0; s < styles.size(); s++) {
            int entry = marker + 8 + fm.stringWidth(names.get(s));
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
                total += (total == 0 ? 0 : gap) + marker + 8 + fm.stringWidth(names.get(s));
            }
            int x = (width() - total) / 2;
            for (int s : row) {
                ClassStyle style = styles.get(s);
                g.setColor(style.color());
                style.marker().paint(g, x + marker / 2.0, y - fm.getAscent() / 2.0 + 2, marker);
                g.setColor(Color.BLACK);
                g.drawString(names.get(s), x + marker + 8, y);
                x += marker + 8 + fm.stringWidth(names.get(s)) + gap;
            }
            y += lineHeight;
        }
    }

    /**
     * Axis pair (a, b), or the oblique projection when a < 0, with no title, axis titles or legend (drawn as text
     * around it). Tick labels only where values mean something (not for t-SNE, nor the oblique view).
     */
    private XYChart scatter(int a, int b, boolean large, int w, int h) {
        XYChart chart = new XYChart(w, h);
        XYStyler styler = chart.getStyler();
        PlotStyle.apply(styler);
        styler.setChartTitleVisible(false);
        styler.setXAxisTitleVisible(false);
        styler.setYAxisTitleVisible(false);
        styler.setChartPadding(8);
        boolean ticks = a >= 0 && ticksMeanSomething();
        styler.setAxisTicksVisible(ticks);
        styler.setPlotGridLinesVisible(ticks);
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        styler.setLegendVisible(false);
        int n = coords.length;
        styler.setMarkerSize(n > 5000 ? 4 : n > 1000 ? 6 : large ? 8 : 8);
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
