package dev.routelens.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
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

    private PlotStyle() {
    }

    static void apply(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.DARK_GRAY);
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
