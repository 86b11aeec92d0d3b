package dev.routelens.viz;

import java.nio.file.Path;

/**
 * The three files {@link PlotWriter} wrote for one plot.
 *
 * @param png bitmap at the writer's dpi
 * @param svg vector drawing
 * @param csv the numbers plotted
 */
public record WrittenPlot(Path png, Path svg, Path csv) {
}
