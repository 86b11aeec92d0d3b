package dev.routelens.viz;

import java.awt.Graphics2D;
import java.util.Optional;
import org.knowm.xchart.internal.chartpart.Chart;

/** A figure that {@link PlotWriter} can render to PNG and SVG, with the data behind it for CSV. */
public interface Plot {

    /** Width in points (1/72 inch). */
    int width();

    /** Height in points. */
    int height();

    /** Draws the whole figure into {@code [0, width] x [0, height]} of {@code g}. */
    void paint(Graphics2D g);

    /** The numbers plotted. */
    DataTable data();

    /** The single XChart chart behind this plot, when there is exactly one. */
    default Optional<Chart<?, ?>> chart() {
        return Optional.empty();
    }
}
