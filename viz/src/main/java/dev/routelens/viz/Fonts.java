package dev.routelens.viz;

import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.style.Styler;

/** Shared typography: sizes readable when a figure is printed at column width. */
final class Fonts {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private Fonts() {
    }

    static void apply(Styler s) {
        s.setChartTitleFont(TITLE);
        s.setLegendFont(LEGEND);
        s.setChartBackgroundColor(Color.WHITE);
        s.setChartTitleBoxVisible(false);
        s.setLegendBorderColor(new Color(200, 200, 200));
        if (s instanceof org.knowm.xchart.style.AxesChartStyler a) {
            a.setAxisTitleFont(AXIS_TITLE);
            a.setAxisTickLabelsFont(TICKS);
            a.setPlotBackgroundColor(Color.WHITE);
            a.setPlotBorderColor(new Color(160, 160, 160));
            a.setPlotGridLinesColor(new Color(230, 230, 230));
        }
    }
}
