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

    private HeatmapPanels(String title, List<Heatmap> panels, double min, double max, boolean diverging) {
        this.title = title;
        this.panels = panels;
        this.min = min;
        this.max = max;
        this.diverging = diverging;
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
        return new HeatmapPanels(title == null ? "" : title, List.copyOf(shared), lo, hi, diverging);
    }

    private int columns() {
        return Math.min(3, panels.size());
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
        g.setFont(PlotStyle.TICK_LABELS);
        FontMetrics fm = g.getFontMetrics();
        double reach = Math.max(Math.abs(min), Math.abs(max));
        // Small ranges (a random model's NLL deltas, 1e-4) in scientific notation, not as five zeros.
        DecimalFormat format = new DecimalFormat(reach >= 10 ? "0.#" : reach >= 0.01 ? "0.###" : "0.##E0",
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        for (int t = 0; t <= 4; t++) {
            double value = min + (max - min) * t / 4.0;
            int y = top + barHeight - (int) Math.round(barHeight * t / 4.0);
            g.drawLine(x + barWidth, y, x + barWidth + 5, y);
            g.drawString(value == 0 ? "0" : format.format(value), x + barWidth + 9, y + (fm.getAscent() - fm.getDescent()) / 2);
        }
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
