package dev.routelens.viz;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;

/**
 * Paints an XChart chart so that its text reaches the canvas as strings. XChart fills each title, axis title, tick
 * label and legend entry as a glyph outline, which an SVG keeps as curves: not searchable, not selectable, not
 * editable. Here every fill passes a {@link GlyphOutlineReader}; an outline it reads back is drawn instead as
 * {@code drawString} of the same text, in the same font, paint and place (the outline's origin is the baseline
 * start, turned by the same quarter turns). Layout stays XChart's, so grid lines and labels still coincide, and a
 * PNG and an SVG take this same path.
 *
 * <p>Rather than hiding XChart's text and drawing it again beside the chart, which would change the layout and needs
 * the y axis's tick positions (package-private in XChart 3.8.8), or drawing bars, lines and heat maps ourselves.
 */
final class ChartText {

    private ChartText() {
    }

    /** Paints {@code chart} into {@code [0, width] x [0, height]} of {@code g}, its text as strings. */
    static void paint(Chart<?, ?> chart, Graphics2D g, int width, int height) {
        GlyphOutlineReader reader = new GlyphOutlineReader(fonts(chart.getStyler()), hints(chart));
        chart.paint(new TextGraphics(g, false, reader), width, height);
    }

    /** The fonts the chart's styler gives its text. */
    static List<Font> fonts(Styler styler) {
        List<Font> fonts = new ArrayList<>();
        fonts.add(styler.getChartTitleFont());
        fonts.add(styler.getLegendFont());
        fonts.add(styler.getAnnotationTextFont());
        if (styler instanceof AxesChartStyler axes) {
            fonts.add(axes.getAxisTitleFont());
            fonts.add(axes.getAxisTickLabelsFont());
        }
        if (styler instanceof HeatMapStyler heat) {
            fonts.add(heat.getValueFont());
        }
        fonts.removeIf(java.util.Objects::isNull);
        return fonts;
    }

    /** The strings the chart was given: titles, series names and the categories of its axes. */
    static List<String> hints(Chart<?, ?> chart) {
        List<String> hints = new ArrayList<>();
        for (String s : new String[] {chart.getTitle(), chart.getXAxisTitle(), chart.getYAxisTitle()}) {
            if (s != null) {
                hints.add(s);
            }
        }
        hints.addAll(chart.getSeriesMap().keySet());
        if (chart instanceof CategoryChart bars) {
            for (CategorySeries series : bars.getSeriesMap().values()) {
                series.getXData().forEach(x -> hints.add(String.valueOf(x)));
            }
        }
        if (chart instanceof HeatMapChart heat && heat.getHeatMapSeries() != null) {
            heat.getHeatMapSeries().getXData().forEach(x -> hints.add(String.valueOf(x)));
            heat.getHeatMapSeries().getYData().forEach(y -> hints.add(String.valueOf(y)));
        }
        return hints;
    }

    /** Fills that are glyph outlines become drawString; everything else passes through. */
    private static final class TextGraphics extends DelegatingGraphics2D {
        private final GlyphOutlineReader reader;

        TextGraphics(Graphics2D delegate, boolean owned, GlyphOutlineReader reader) {
            super(delegate, owned);
            this.reader = reader;
        }

        @Override
        protected Graphics2D wrap(Graphics2D created) {
            return new TextGraphics(created, true, reader);
        }

        @Override
        public void fill(Shape shape) {
            if (shape.getPathIterator(null).isDone()) {
                return; // the outline of a blank tick label: it draws nothing, and would be an empty <path>
            }
            Optional<GlyphOutlineReader.Reading> reading = reader.read(shape, delegate.getFontRenderContext());
            if (reading.isEmpty()) {
                delegate.fill(shape);
                return;
            }
            GlyphOutlineReader.Reading r = reading.get();
            Font font = delegate.getFont();
            AffineTransform transform = delegate.getTransform();
            try {
                delegate.setFont(r.font());
                if (r.quadrants() != 0) {
                    delegate.transform(AffineTransform.getQuadrantRotateInstance(r.quadrants()));
                }
                delegate.drawString(r.text(), 0f, 0f);
            } finally {
                delegate.setTransform(transform);
                delegate.setFont(font);
            }
        }
    }
}
