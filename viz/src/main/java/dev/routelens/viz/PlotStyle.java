package dev.routelens.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/** Shared look: white background, fonts sized for a paper figure printed at about 60 % of its point size. */
final class PlotStyle {

    static final String FONT_FAMILY = Font.SANS_SERIF;
    static final Font TITLE = new Font(FONT_FAMILY, Font.BOLD, 20);
    static final Font FIGURE_TITLE = new Font(FONT_FAMILY, Font.BOLD, 24);
    static final Font AXIS_TITLE = new Font(FONT_FAMILY, Font.PLAIN, 17);
    static final Font TICK_LABELS = new Font(FONT_FAMILY, Font.PLAIN, 14);
    static final Font LEGEND = new Font(FONT_FAMILY, Font.PLAIN, 16);
    static final Font CELL_VALUES = new Font(FONT_FAMILY, Font.PLAIN, 12);
    static final Color GRID = new Color(225, 225, 225);
    /** Height of the band above a multi-panel figure that holds its title. */
    static final int FIGURE_TITLE_HEIGHT = 56;

    private PlotStyle() {
    }

    /**
     * Starts a multi-panel figure: antialiasing on, a white {@code width x height} canvas, and
     * {@code title} centred over the first {@code titleWidth} pixels of the top band.
     */
    static void figureCanvas(Graphics2D g, int width, int height, String title, int titleWidth) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(FIGURE_TITLE);
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(title) > titleWidth - 20) { // a narrow figure (one expert per layer): shrink, never clip
            g.setFont(FIGURE_TITLE.deriveFont(Math.max(12f, FIGURE_TITLE.getSize2D() * (titleWidth - 20) / fm.stringWidth(title))));
            fm = g.getFontMetrics();
        }
        g.drawString(title, (titleWidth - fm.stringWidth(title)) / 2,
                (FIGURE_TITLE_HEIGHT + fm.getAscent() - fm.getDescent()) / 2);
    }

    /** Height and offset of a subscript, as fractions of the base font size. */
    private static final double SUBSCRIPT_SIZE = 0.68;
    private static final double SUBSCRIPT_DROP = 0.28;
    /** "_" and one word (letters, digits): that word is a subscript, e.g. "E_T". */
    private static final java.util.regex.Pattern SUBSCRIPT = java.util.regex.Pattern.compile("_([A-Za-z0-9]+)");

    /**
     * Draws {@code text} at baseline {@code y} with each {@code _word} set as a smaller, lowered subscript; every
     * piece is its own drawString, so an SVG keeps it as text ("E_T" becomes a text E and a smaller text T).
     */
    static void drawSubscripted(Graphics2D g, String text, double x, double y) {
        Font base = g.getFont();
        Font small = base.deriveFont((float) (base.getSize2D() * SUBSCRIPT_SIZE));
        java.util.regex.Matcher m = SUBSCRIPT.matcher(text);
        int from = 0;
        double at = x;
        while (m.find()) {
            String before = text.substring(from, m.start());
            if (!before.isEmpty()) {
                g.setFont(base);
                g.drawString(before, (float) at, (float) y);
                at += g.getFontMetrics().stringWidth(before);
            }
            g.setFont(small);
            g.drawString(m.group(1), (float) at, (float) (y + SUBSCRIPT_DROP * base.getSize2D()));
            at += g.getFontMetrics().stringWidth(m.group(1));
            from = m.end();
        }
        g.setFont(base);
        if (from < text.length()) {
            g.drawString(text.substring(from), (float) at, (float) y);
        }
    }

    /** The width {@link #drawSubscripted} gives {@code text} in {@code g}'s font. */
    static int subscriptedWidth(Graphics2D g, String text) {
        Font base = g.getFont();
        FontMetrics big = g.getFontMetrics(base);
        FontMetrics small = g.getFontMetrics(base.deriveFont((float) (base.getSize2D() * SUBSCRIPT_SIZE)));
        java.util.regex.Matcher m = SUBSCRIPT.matcher(text);
        int from = 0;
        int width = 0;
        while (m.find()) {
            width += big.stringWidth(text.substring(from, m.start())) + small.stringWidth(m.group(1));
            from = m.end();
        }
        return width + big.stringWidth(text.substring(from));
    }

    static void apply(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.DARK_GRAY);
        styler.setAxisTicksLineVisible(false); // the plot frame is the axis line; XChart's second one sits offset
        styler.setChartFontColor(Color.BLACK);
        styler.setChartTitleFont(TITLE);
        styler.setChartTitleBoxVisible(false);
        styler.setAxisTitleFont(AXIS_TITLE);
        styler.setAxisTickLabelsFont(TICK_LABELS);
        styler.setAxisTickLabelsColor(Color.BLACK);
        styler.setLegendFont(LEGEND);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setLegendBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(GRID);
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setChartPadding(14);
        styler.setAxisTitlePadding(8);
        styler.setPlotMargin(6);
        styler.setAntiAlias(true);
        styler.setToolTipsEnabled(false);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    }
}
