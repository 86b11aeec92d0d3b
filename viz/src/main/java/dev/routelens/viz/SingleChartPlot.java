package dev.routelens.viz;

import java.awt.Graphics2D;
import java.util.Optional;
import org.knowm.xchart.internal.chartpart.Chart;

/** A plot that is one XChart chart: painting it and exposing it both come from {@link #build()}. */
interface SingleChartPlot extends Plot {

    /** A fresh chart of {@code width() x height()} points. */
    Chart<?, ?> build();

    @Override
    default Optional<Chart<?, ?>> chart() {
        return Optional.of(build());
    }

    @Override
    default void paint(Graphics2D g) {
        ChartText.paint(build(), g, width(), height());
    }
}
