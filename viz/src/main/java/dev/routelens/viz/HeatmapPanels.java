package dev.routelens.viz;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Several heat maps of the same shape (e.g. one layers x experts matrix per class) as panels of one figure,
 * all on one colour scale, with a single colour bar on the right. Up to three panels per row.
 */
public final class HeatmapPanels implements Plot {

    private static final int TITLE_HEIGHT = PlotStyle.FIGURE_TITLE_HEIGHT;
    private static final int BAR_WIDTH = 130;

    private final String title;
    private final List<Heatmap> panels;
    private final double min;
    private final double max;
    private final boolean diverging;
    private final String scaleLabel; // beside the colour bar, with its unit; "" for none

    private HeatmapPanels(String title, List<Heatmap> panels, double min, double max, boolean diverging,
                          String scaleLabel) {
        this.title = title;
        this.panels = panels;
        this.min = min;
        this.max = max;
        this.diverging = diverging;
        this.scaleLabel = scaleLabel;
    }

    /** The same figure with the colour bar labelled, e.g. "NLL change (nats/token)". */
    public HeatmapPanels withScaleLabel(String label) {
        return new HeatmapPanels(title, panels, min, max, diverging, label == null ? "" : label);
    }

    /** The label beside the colour bar ("" for none). */
    public String scaleLabel() {
        return scaleLabel;
    }

    /** The same figure with every panel's diagonal grey and left out of the shared colour range. */
    public HeatmapPanels withDiagonalMasked() {
        List<Heatmap> masked = new ArrayList<>();
        for (Heatmap map : panels) {
            masked.add(map.withDiagonalMasked());
        }
        return of(title, masked).withScaleLabel(scaleLabel);
    }

    /**
     * The same (diverging) figure on a robust symmetric range: +-R with R the {@code quantile} of |value| over all
     * panels rounded up to 1, 2, 2.5 or 5 x 10^k, so ticks read round. Cells beyond it are drawn in the end colour
     * and marked with a triangle; the colour bar gets a pointed end on each side that has such cells.
     */
    public HeatmapPanels withRobustRange(double quantile) {
        if (!diverging) {
            throw new IllegalArgumentException("heat map panels '" + title + "': a robust symmetric range needs a diverging scale");
        }
        List<double[][]> matrices = new ArrayList<>();
        boolean skipDiagonal = panels.get(0).isDiagonalMasked();
        for (Heatmap map : panels) {
            matrices.add(map.values());
        }
        double reach = Heatmap.robustReach(matrices, quantile, skipDiagonal);
        if (!(reach > 0.0)) {
            return this;
        }
        double nice = Heatmap.niceCeil(reach);
        List<Heatmap> ranged = new ArrayList<>();
        for (Heatmap map : panels) {
            ranged.add(map.withRange(-nice, nice));
        }
        return new HeatmapPanels(title, List.copyOf(ranged), -nice, nice, true, scaleLabel);
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** How many cells (masked ones aside) lie beyond the colour range: {below, above}. */
    int[] clippedCells() {
        int below = 0;
        int above = 0;
        for (Heatmap map : panels) {
            double[][] v = map.values();
            for (int r = 0; r < v.length; r++) {
                for (int c = 0; c < v[r].length; c++) {
                    if (map.isDiagonalMasked() && r == c) {
                        continue;
                    }
                    below += v[r][c] < min ? 1 : 0;
                    above += v[r][c] > max ? 1 : 0;
                }
            }
        }
        return new int[] {below, above};
    }

    /** Panels from {@code maps} (same shape, same kind of scale) with their ranges merged. */
    public static HeatmapPanels of(String title, List<Heatmap> maps) {
        if (maps == null || maps.isEmpty()) {
            throw new IllegalArgumentException("heat map panels '" + title + "': no panels");
        }
        boolean diverging = maps.get(0).isDiverging();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Heatmap map : maps) {
            if (map.isDiverging() != diverging) {
                throw new IllegalArgumentException("heat map panels '" + title + "': mixed colour scales");
            }
            lo = Math.min(lo, map.min());
            hi = Math.max(hi, map.max());
        }
        if (diverging) {
            double reach = Math.max(Math.abs(lo), Math.abs(hi));
            lo = -reach;
            hi = reach;
        }
        List<Heatmap> shared = new ArrayList<>();
        for (Heatmap map : maps) {
            shared.add(map.withRange(lo, hi).asPanel());
        }
        return new HeatmapPanels(title == null ? "" : title, List.copyOf(shared), lo, hi, diverging, "");
    }

    /** Up to four panels a row, rows filled evenly: 6 panels as 3 + 3, 7 (six classes and "(all)") as 4 + 3. */
    private int columns() {
        int n = panels.size();
        int rows = (n + 3) / 4;
        return (n + rows - 1) / rows;
    }

    private int rows() {
        return (panels.size() + columns() - 1) / columns();
    }

    @Override
    public int width() {
        return columns() * panels.get(0).width() + BAR_WIDTH;
    }

    @Override
    public int height() {
        return TITLE_HEIGHT + rows() * panels.get(0).height();
    }

    @Override
    public void paint(Graphics2D g) {
        PlotStyle.figureCanvas(g, width(), height(), title, width() - BAR_WIDTH);
        int panelWidth = panels.get(0).width();
        int panelHeight = panels.get(0).height();
        for (int p = 0; p < panels.size(); p++) {
            Graphics2D panel = (Graphics2D) g.create((p % columns()) * panelWidth,
                    TITLE_HEIGHT + (p / columns()) * panelHeight, panelWidth, panelHeight);
            try {
                panels.get(p).paint(panel);
            } finally {
                panel.dispose();
            }
        }
        paintColourBar(g, columns() * panelWidth, TITLE_HEIGHT + 60, height() - TITLE_HEIGHT - 160);
    }

    /** Vertical bar, max at the top, with five labelled ticks. */
    private void paintColourBar(Graphics2D g, int left, int top, int barHeight) {
        Color[] anchors = diverging ? Heatmap.DIVERGING : Heatmap.SEQUENTIAL;
        int x = left + 20;
        int barWidth = 24;
        int steps = anchors.length - 1;
        for (int s = 0; s < steps; s++) {
            int y0 = top + (int) Math.round(barHeight * (steps - s - 1) / (double) steps);
            int y1 = top + (int) Math.round(barHeight * (steps - s) / (double) steps);
            g.setPaint(new GradientPaint(0, y1, anchors[s], 0, y0, anchors[s + 1]));
            g.fillRect(x, y0, barWidth, y1 - y0);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x, top, barWidth, barHeight);
        int[] clipped = clippedCells();
        int tip = 16;
        if (clipped[1] > 0) { // pointed ends: values beyond the range exist on that side
            paintExtension(g, x, top, barWidth, -tip, anchors[anchors.length - 1]);
        }
        if (clipped[0] > 0) {
            paintExtension(g, x, top + barHeight, barWidth, tip, anchors[0]);
        }
        g.setFont(PlotStyle.TICK_LABELS);
        FontMetrics fm = g.getFontMetrics();
        double reach = Math.max(Math.abs(min), Math.abs(max));
        // Small ranges (a random model's NLL deltas, 1e-4) in scientific notation, not as five zeros.
        DecimalFormat format = new DecimalFormat(reach >= 10 ? "0.#" : reach >= 0.01 ? "0.###" : "0.##E0",
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        for (double value : ticks(min, max, diverging ? 4 : 5)) {
            int y = top + barHeight - (int) Math.round(barHeight * (value - min) / (max - min));
            g.drawLine(x + barWidth, y, x + barWidth + 5, y);
            g.drawString(value == 0 ? "0" : format.format(value), x + barWidth + 9, y + (fm.getAscent() - fm.getDescent()) / 2);
        }
        if (!scaleLabel.isEmpty()) { // read bottom to top, right of the tick labels
            g.setFont(PlotStyle.AXIS_TITLE);
            FontMetrics lm = g.getFontMetrics();
            Graphics2D rotated = (Graphics2D) g.create();
            try {
                rotated.translate(x + barWidth + 9 + maxTickWidth(fm, format) + 10 + lm.getAscent(),
                        top + (barHeight + lm.stringWidth(scaleLabel)) / 2.0);
                rotated.rotate(-Math.PI / 2);
                rotated.setColor(Color.BLACK);
                rotated.drawString(scaleLabel, 0, 0);
            } finally {
                rotated.dispose();
            }
        }
    }

    private int maxTickWidth(FontMetrics fm, DecimalFormat format) {
        int widest = 0;
        for (double value : ticks(min, max, diverging ? 4 : 5)) {
            widest = Math.max(widest, fm.stringWidth(value == 0 ? "0" : format.format(value)));
        }
        return widest;
    }

    /**
     * Round tick values in [lo, hi]: the multiples of the least step of 1, 2, 2.5 or 5 x 10^k that splits it into at
     * most {@code intervals} (0 .. 0.595 in 5 gets 0, 0.2, 0.4; a diverging -0.5 .. 0.5 in 4 gets -0.5, -0.25, 0,
     * 0.25, 0.5).
     */
    static List<Double> ticks(double lo, double hi, int intervals) {
        double step = Heatmap.niceCeil((hi - lo) / intervals);
        List<Double> out = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) {
            double v = java.math.BigDecimal.valueOf(k).multiply(java.math.BigDecimal.valueOf(step)).doubleValue(); // 3 x 0.025 is 0.075
            out.add(Math.abs(v) < 1e-12 * step ? 0.0 : v);
        }
        return out;
    }

    /** A triangle on the bar's end at {@code y}, pointing out by {@code height} (negative: up). */
    private static void paintExtension(Graphics2D g, int x, int y, int width, int height, Color colour) {
        java.awt.geom.Path2D.Double triangle = new java.awt.geom.Path2D.Double();
        triangle.moveTo(x, y);
        triangle.lineTo(x + width, y);
        triangle.lineTo(x + width / 2.0, y + height);
        triangle.closePath();
        g.setColor(colour);
        g.fill(triangle);
        g.setColor(Color.DARK_GRAY);
        g.draw(triangle);
    }

    @Override
    public DataTable data() {
        Heatmap first = panels.get(0);
        String row = DataTable.column(first.rowAxis());
        String column = DataTable.column(first.columnAxis());
        if (row.equals(column)) { // "expert" x "expert": keep the two apart
            row += "_row";
            column += "_column";
        }
        List<String> header = List.of("panel", row, column, "value"); // long form, named by the axes
        List<List<String>> rows = new ArrayList<>();
        for (Heatmap map : panels) {
            for (int r = 0; r < first.rowLabels().size(); r++) {
                for (int c = 0; c < first.columnLabels().size(); c++) {
                    rows.add(List.of(map.title(), map.rowLabels().get(r), map.columnLabels().get(c),
                            DataTable.number(map.value(r, c))));
                }
            }
        }
        return new DataTable(header, rows);
    }
}
