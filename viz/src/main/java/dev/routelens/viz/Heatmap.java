package dev.routelens.viz;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;

/**
 * A labelled matrix as coloured cells with a colour-scale legend, e.g. layers x experts (expert choice per
 * class, ablation NLL deltas) or experts x experts (co-activation). Row 0 is drawn at the top. NaN cells
 * stay blank.
 *
 * <p>Sized for the matrix: up to 16 columns (32 rows) cells keep their full size and every tick is labelled;
 * wider matrices (64 or 128 experts) get narrower cells, so the figure stays a few thousand pixels wide, and
 * tick labels at every 2nd, 4th, 8th... cell, as many as fit without overlapping. The CSV keeps every label.
 */
public final class Heatmap implements SingleChartPlot {

    /** Sequential scale (viridis anchors): dark blue for low, yellow for high. */
    static final Color[] SEQUENTIAL = {
        new Color(0x440154), new Color(0x3B528B), new Color(0x21918C), new Color(0x5EC962), new Color(0xFDE725),
    };
    /** Diverging scale (ColorBrewer RdBu): blue below zero, white at zero, red above. */
    static final Color[] DIVERGING = {
        new Color(0x2166AC), new Color(0x92C5DE), new Color(0xF7F7F7), new Color(0xF4A582), new Color(0xB2182B),
    };

    private final String title;
    private final String rowAxis;
    private final List<String> rowLabels;
    private final String columnAxis;
    private final List<String> columnLabels;
    private final double[][] values; // [rows, columns]
    private final boolean diverging;
    private final double min;
    private final double max;
    private final boolean showValues;
    private final String valuePattern;
    private final boolean legend;
    private final boolean compact;
    private final boolean maskDiagonal;

    /** Colour of masked cells (a square matrix's diagonal). */
    static final Color MASKED = new Color(0xBDBDBD);

    private Heatmap(String title, String rowAxis, List<String> rowLabels, String columnAxis, List<String> columnLabels,
                    double[][] values, boolean diverging, double min, double max, boolean showValues,
                    String valuePattern, boolean legend, boolean compact, boolean maskDiagonal) {
        this.title = title;
        this.rowAxis = rowAxis;
        this.rowLabels = rowLabels;
        this.columnAxis = columnAxis;
        this.columnLabels = columnLabels;
        this.values = values;
        this.diverging = diverging;
        this.min = min;
        this.max = max;
        this.showValues = showValues;
        this.valuePattern = valuePattern;
        this.legend = legend;
        this.compact = compact;
        this.maskDiagonal = maskDiagonal;
    }

    /** Values from low (dark) to high (bright), range = data min..max. */
    public static Heatmap sequential(String title, String rowAxis, List<String> rowLabels, String columnAxis,
                                     List<String> columnLabels, double[][] values) {
        return create(title, rowAxis, rowLabels, columnAxis, columnLabels, values, false);
    }

    /** Signed values on a blue-white-red scale symmetric about zero, range = +-max|value|. */
    public static Heatmap diverging(String title, String rowAxis, List<String> rowLabels, String columnAxis,
                                    List<String> columnLabels, double[][] values) {
        return create(title, rowAxis, rowLabels, columnAxis, columnLabels, values, true);
    }

    /** Mean expert choice of one class: layers ({@code [L, E]} rows) x experts. */
    public static Heatmap expertChoice(String className, double[][] layerByExpert) {
        return sequential("Expert choice: " + className, "layer", numbered("L", layerByExpert.length), "expert",
                numbered("E", columns(layerByExpert)), layerByExpert);
    }

    /** Increase in NLL when an expert is ablated: layers ({@code [L, E]}) x experts, diverging about 0. */
    public static Heatmap ablation(String title, double[][] nllDeltaByLayerAndExpert) {
        return diverging(title, "layer", numbered("L", nllDeltaByLayerAndExpert.length), "expert",
                numbered("E", columns(nllDeltaByLayerAndExpert)), nllDeltaByLayerAndExpert);
    }

    /** How often two experts are chosen together ({@code [E, E]}), with the counts written in the cells. */
    public static Heatmap coActivation(String title, double[][] expertByExpert) {
        return sequential(title, "expert", numbered("E", expertByExpert.length), "expert",
                numbered("E", columns(expertByExpert)), expertByExpert).withValueLabels(true, "0.###");
    }

    /** Labels prefix0, prefix1, ... */
    public static List<String> numbered(String prefix, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private static int columns(double[][] values) {
        return values == null || values.length == 0 || values[0] == null ? 0 : values[0].length;
    }

    private static Heatmap create(String title, String rowAxis, List<String> rowLabels, String columnAxis,
                                  List<String> columnLabels, double[][] values, boolean diverging) {
        if (values == null || values.length == 0 || values[0] == null || values[0].length == 0) {
            throw new IllegalArgumentException("heat map '" + title + "': empty matrix");
        }
        if (rowLabels.size() != values.length || columnLabels.size() != values[0].length) {
            throw new IllegalArgumentException("heat map '" + title + "': " + values.length + " x " + values[0].length
                    + " matrix but " + rowLabels.size() + " row and " + columnLabels.size() + " column labels");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double[][] copy = new double[values.length][];
        for (int r = 0; r < values.length; r++) {
            if (values[r] == null || values[r].length != columnLabels.size()) {
                throw new IllegalArgumentException("heat map '" + title + "': row " + r + " is not "
                        + columnLabels.size() + " wide");
            }
            copy[r] = values[r].clone();
            for (double v : values[r]) {
                if (Double.isInfinite(v)) {
                    throw new IllegalArgumentException("heat map '" + title + "': row " + r + " holds " + v);
                }
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) { // all NaN
            lo = 0.0;
            hi = 1.0;
        }
        double[] range = colourRange(lo, hi, diverging);
        return new Heatmap(title, rowAxis, List.copyOf(rowLabels), columnAxis, List.copyOf(columnLabels), copy,
                diverging, range[0], range[1], false, "0.##", true, false, false);
    }

    /** The same plot with a fixed colour range, e.g. shared by the per-class panels. */
    public Heatmap withRange(double newMin, double newMax) {
        if (!(newMin < newMax) || Double.isInfinite(newMin) || Double.isInfinite(newMax)) {
            throw new IllegalArgumentException("heat map '" + title + "': range needs finite min < max");
        }
        return new Heatmap(title, rowAxis, rowLabels, columnAxis, columnLabels, values, diverging, newMin, newMax,
                showValues, valuePattern, legend, compact, maskDiagonal);
    }

    /**
     * The same plot with its diagonal drawn grey and left out of the colour range: for a square matrix whose
     * diagonal says nothing (P(a chosen | a chosen) is always 1) and would otherwise set the top of the scale.
     */
    public Heatmap withDiagonalMasked() {
        if (rowLabels.size() != columnLabels.size()) {
            throw new IllegalArgumentException("heat map '" + title + "': only a square matrix has a diagonal to mask");
        }
        double[] data = dataRange(values, true);
        double[] range = colourRange(data[0], data[1], diverging);
        return new Heatmap(title, rowAxis, rowLabels, columnAxis, columnLabels, values, diverging, range[0], range[1],
                showValues, valuePattern, legend, compact, true);
    }

    /** The colour range for data in [lo, hi]: symmetric about 0 when diverging, widened by 1 when a single value. */
    private static double[] colourRange(double lo, double hi, boolean diverging) {
        if (diverging) {
            double reach = Math.max(Math.abs(lo), Math.abs(hi));
            lo = -reach;
            hi = reach;
        }
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        return new double[] {lo, hi};
    }

    /** {min, max} over the non-NaN cells (off the diagonal when {@code skipDiagonal}); {0, 1} when there are none. */
    static double[] dataRange(double[][] values, boolean skipDiagonal) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < values.length; r++) {
            for (int c = 0; c < values[r].length; c++) {
                double v = values[r][c];
                if (!Double.isNaN(v) && !(skipDiagonal && r == c)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo > hi ? new double[] {0.0, 1.0} : new double[] {lo, hi};
    }

    /**
     * The {@code quantile} (in (0, 1]) of |value| over the non-NaN cells of all {@code matrices}, skipping the
     * diagonal when {@code skipDiagonal}; nearest rank. 0 when no cell counts. A robust reach for a diverging scale:
     * one extreme cell no longer whitens the rest.
     */
    public static double robustReach(List<double[][]> matrices, double quantile, boolean skipDiagonal) {
        if (!(quantile > 0.0 && quantile <= 1.0)) {
            throw new IllegalArgumentException("robust reach: quantile must be in (0, 1], got " + quantile);
        }
        List<Double> magnitudes = new ArrayList<>();
        for (double[][] m : matrices) {
            for (int r = 0; r < m.length; r++) {
                for (int c = 0; c < m[r].length; c++) {
                    if (!Double.isNaN(m[r][c]) && !(skipDiagonal && r == c)) {
                        magnitudes.add(Math.abs(m[r][c]));
                    }
                }
            }
        }
        if (magnitudes.isEmpty()) {
            return 0.0;
        }
        java.util.Collections.sort(magnitudes);
        int rank = (int) Math.ceil(quantile * magnitudes.size()); // 1-based nearest rank
        return magnitudes.get(Math.max(0, rank - 1));
    }

    /** The least of 1, 2, 2.5, 5 x 10^k that is at least {@code x} (x > 0), so that ticks at 0, +-x/2, +-x read round. */
    public static double niceCeil(double x) {
        if (!(x > 0.0) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("nice ceiling: needs a finite positive number, got " + x);
        }
        double decade = Math.pow(10.0, Math.floor(Math.log10(x)));
        for (double m : new double[] {1.0, 2.0, 2.5, 5.0, 10.0}) {
            double candidate = m * decade;
            if (candidate >= x * (1.0 - 1e-12)) {
                return candidate;
            }
        }
        return 10.0 * decade;
    }

    boolean isDiagonalMasked() {
        return maskDiagonal;
    }

    /** The same plot with (or without) the values written in the cells, formatted by a DecimalFormat pattern. */
    public Heatmap withValueLabels(boolean show, String decimalPattern) {
        return new Heatmap(title, rowAxis, rowLabels, columnAxis, columnLabels, values, diverging, min, max, show,
                decimalPattern, legend, compact, maskDiagonal);
    }

    /** The same plot as a small panel: no colour-scale legend (panels share one bar), smaller cells. */
    Heatmap asPanel() {
        return new Heatmap(title, rowAxis, rowLabels, columnAxis, columnLabels, values, diverging, min, max,
                showValues, valuePattern, false, true, maskDiagonal);
    }

    boolean isDiverging() {
        return diverging;
    }

    String title() {
        return title;
    }

    /** The row axis title, e.g. "layer". */
    String rowAxis() {
        return rowAxis;
    }

    /** The column axis title, e.g. "expert". */
    String columnAxis() {
        return columnAxis;
    }

    List<String> rowLabels() {
        return rowLabels;
    }

    List<String> columnLabels() {
        return columnLabels;
    }

    /** The matrix itself ({@code [rows, columns]}; not a copy: do not change it). */
    double[][] values() {
        return values;
    }

    double value(int row, int column) {
        return values[row][column];
    }

    /**
     * Writes one heat map per matrix, as panels of one figure on one shared colour scale (a single matrix gives
     * a single heat map), with the default {@link PlotWriter}. Rows and columns are numbered from 0. The CSV is
     * long-form: panel, then the row and column axis titles as column names (say layer, expert), then value.
     *
     * @param panels    panel titles {@code [P]}, e.g. class names
     * @param matrices  {@code [P][rows][cols]}, all the same shape
     * @param rowName   row axis title, e.g. "layer"
     * @param colName   column axis title, e.g. "expert"
     * @param diverging blue-white-red scale symmetric about 0 when true
     */
    public static WrittenPlot write(Path dir, String name, String title, List<String> panels,
                                    List<double[][]> matrices, String rowName, String colName, boolean diverging)
            throws IOException {
        return new PlotWriter(dir).write(name, panels(title, panels, matrices, rowName, null, colName, diverging));
    }

    /**
     * {@link #write(Path, String, String, List, List, String, String, boolean)} with rows labelled by
     * {@code rowLabels} (e.g. the real indices of a model's MoE layers) instead of 0, 1, 2, ...
     */
    public static WrittenPlot write(Path dir, String name, String title, List<String> panels,
                                    List<double[][]> matrices, String rowName, List<String> rowLabels, String colName,
                                    boolean diverging) throws IOException {
        return new PlotWriter(dir).write(name, panels(title, panels, matrices, rowName, rowLabels, colName, diverging));
    }

    /** The figure {@link #write} draws: {@link HeatmapPanels} on a shared scale. */
    public static HeatmapPanels panels(String title, List<String> panels, List<double[][]> matrices, String rowName,
                                       String colName, boolean diverging) {
        return panels(title, panels, matrices, rowName, null, colName, diverging);
    }

    /** {@link #panels(String, List, List, String, String, boolean)} with row labels (null: numbered from 0). */
    public static HeatmapPanels panels(String title, List<String> panels, List<double[][]> matrices, String rowName,
                                       List<String> rowLabels, String colName, boolean diverging) {
        if (panels == null || matrices == null || panels.isEmpty() || panels.size() != matrices.size()) {
            throw new IllegalArgumentException("heat map '" + title + "': needs one title per matrix, got "
                    + (panels == null ? 0 : panels.size()) + " titles for " + (matrices == null ? 0 : matrices.size())
                    + " matrices");
        }
        int rows = matrices.get(0).length;
        int cols = columns(matrices.get(0));
        List<Heatmap> maps = new ArrayList<>();
        for (int p = 0; p < panels.size(); p++) {
            double[][] m = matrices.get(p);
            if (m == null || m.length != rows || columns(m) != cols) {
                throw new IllegalArgumentException("heat map '" + title + "': panel '" + panels.get(p)
                        + "' is not " + rows + " x " + cols);
            }
            List<String> rowNames = rowLabels != null ? rowLabels : numbered("", rows);
            List<String> colLabels = numbered("", cols);
            maps.add(diverging ? diverging(panels.get(p), rowName, rowNames, colName, colLabels, m)
                    : sequential(panels.get(p), rowName, rowNames, colName, colLabels, m));
        }
        return HeatmapPanels.of(title, maps);
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** Columns up to which cells keep their full width. */
    static final int FULL_SIZE_COLUMNS = 16;
    /** Rows up to which cells keep their full height (SciDFM's 26 layers fit). */
    static final int FULL_SIZE_ROWS = 32;
    /** Least distance in points between two labelled ticks along x (three digits at the tick font). */
    static final int X_LABEL_SPACING = 30;
    /** Least distance in points between two labelled ticks along y (one line of the tick font). */
    static final int Y_LABEL_SPACING = 16;

    private int cellWidth() {
        int n = columnLabels.size();
        if (n > FULL_SIZE_COLUMNS) {
            return compact ? Math.max(6, 640 / n) : Math.max(8, 1100 / n);
        }
        return compact ? Math.max(30, Math.min(60, 320 / n)) : Math.max(44, Math.min(90, 640 / n));
    }

    private int cellHeight() {
        int n = rowLabels.size();
        if (n > FULL_SIZE_ROWS) {
            return compact ? Math.max(6, 520 / n) : Math.max(8, 900 / n);
        }
        return compact ? Math.max(16, Math.min(50, 440 / n)) : Math.max(22, Math.min(70, 720 / n));
    }

    /**
     * Every {@code step}-th label, the rest blank, with step the least of 1, 2, 4, 8, ... that spaces the
     * shown ones at least {@code spacing} points apart when cells are {@code cell} points. A heat map places
     * categories by position, so equal blanks keep their cells (a blank is a space: XChart cannot lay out "").
     */
    static List<String> thinned(List<String> labels, int cell, int spacing) {
        int step = 1;
        while (step * cell < spacing && step < labels.size()) {
            step *= 2;
        }
        if (step == 1) {
            return labels;
        }
        List<String> out = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            out.add(i % step == 0 ? labels.get(i) : " ");
        }
        return out;
    }

    @Override
    public int width() {
        return (compact ? 110 : 160) + columnLabels.size() * cellWidth() + (legend ? 190 : 0);
    }

    @Override
    public int height() {
        return (compact ? 140 : 170) + rowLabels.size() * cellHeight();
    }

    @Override
    public HeatMapChart build() {
        // The theme argument matters: the two-argument constructor leaves the colour range unset.
        List<int[]> masked = new ArrayList<>();  // {row, column} drawn grey
        List<int[]> clipped = new ArrayList<>(); // {row, column, sign} beyond the colour range
        OverlaidHeatMapChart chart = new OverlaidHeatMapChart(width(), height(), rowLabels.size(), columnLabels.size(),
                masked, clipped);
        chart.setTitle(title);
        chart.setXAxisTitle(columnAxis);
        chart.setYAxisTitle(rowAxis);
        HeatMapStyler styler = chart.getStyler();
        PlotStyle.apply(styler);
        if (compact) {
            styler.setChartTitleFont(PlotStyle.TITLE.deriveFont(18f));
            styler.setAxisTickLabelsFont(PlotStyle.TICK_LABELS.deriveFont(13f));
            styler.setChartPadding(8);
        }
        styler.setPlotGridLinesVisible(false);
        styler.setPlotContentSize(1.0);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendVisible(legend);
        styler.setRangeColors(diverging ? DIVERGING : SEQUENTIAL);
        styler.setMin(min);
        styler.setMax(max);
        styler.setPiecewise(false);
        styler.setDrawBorder(true);
        styler.setShowValue(showValues);
        styler.setValueFont(PlotStyle.CELL_VALUES);
        styler.setValueFontColor(Color.BLACK);
        styler.setHeatMapValueDecimalPattern(valuePattern);
        styler.setGradientColorColumnHeight(Math.max(200, rowLabels.size() * cellHeight() - 40));
        styler.setGradientColorColumnWeight(18);
        styler.setLegendFont(PlotStyle.TICK_LABELS);
        // XChart puts the first y category at the bottom; reverse so that row 0 is on top.
        List<String> yCategories = new ArrayList<>(thinned(rowLabels, cellHeight(), Y_LABEL_SPACING));
        java.util.Collections.reverse(yCategories);
        List<Number[]> cells = new ArrayList<>();
        int rows = rowLabels.size();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columnLabels.size(); c++) {
                double v = values[r][c];
                if (maskDiagonal && r == c) {
                    masked.add(new int[] {r, c});
                } else if (!Double.isNaN(v)) {
                    if (v > max || v < min) { // drawn in the end colour, marked with an arrow
                        clipped.add(new int[] {r, c, v > max ? 1 : -1});
                    }
                    cells.add(new Number[] {c, rows - 1 - r, Math.max(min, Math.min(max, v))});
                }
            }
        }
        chart.addSeries(title.isBlank() ? "values" : title, thinned(columnLabels, cellWidth(), X_LABEL_SPACING),
                yCategories, cells);
        return chart;
    }

    /**
     * XChart's heat map plus what it cannot draw: grey masked cells and a small triangle in each cell whose value
     * lies beyond the colour range (pointing up above it, down below). Cells tile the plot area evenly (plot
     * content size 1), so a cell's place follows from the plot bounds.
     */
    static final class OverlaidHeatMapChart extends HeatMapChart {
        private final int rows;
        private final int columns;
        private final List<int[]> masked;
        private final List<int[]> clipped;

        OverlaidHeatMapChart(int width, int height, int rows, int columns, List<int[]> masked, List<int[]> clipped) {
            super(width, height, Styler.ChartTheme.XChart);
            this.rows = rows;
            this.columns = columns;
            this.masked = masked;
            this.clipped = clipped;
        }

        @Override
        public void paint(java.awt.Graphics2D g, int width, int height) {
            super.paint(g, width, height);
            java.awt.geom.Rectangle2D bounds = plot.getBounds();
            double w = bounds.getWidth() / columns;
            double h = bounds.getHeight() / rows;
            for (int[] cell : masked) {
                g.setColor(MASKED);
                g.fill(new java.awt.geom.Rectangle2D.Double(bounds.getX() + cell[1] * w, bounds.getY() + cell[0] * h,
                        w, h));
            }
            for (int[] cell : clipped) {
                double cx = bounds.getX() + (cell[1] + 0.5) * w;
                double cy = bounds.getY() + (cell[0] + 0.5) * h;
                double size = Math.max(3.0, Math.min(7.0, 0.3 * Math.min(w, h)));
                java.awt.geom.Path2D.Double arrow = new java.awt.geom.Path2D.Double();
                arrow.moveTo(cx, cy - cell[2] * size);
                arrow.lineTo(cx - size, cy + cell[2] * size);
                arrow.lineTo(cx + size, cy + cell[2] * size);
                arrow.closePath();
                g.setColor(Color.WHITE);
                g.fill(arrow);
                g.setColor(Color.BLACK);
                g.setStroke(new java.awt.BasicStroke(1f));
                g.draw(arrow);
            }
        }
    }

    @Override
    public DataTable data() {
        List<String> header = new ArrayList<>();
        header.add(rowAxis);
        header.addAll(columnLabels);
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < rowLabels.size(); r++) {
            List<String> row = new ArrayList<>();
            row.add(rowLabels.get(r));
            for (double v : values[r]) {
                row.add(DataTable.number(v));
            }
            rows.add(row);
        }
        return new DataTable(header, rows);
    }
}
