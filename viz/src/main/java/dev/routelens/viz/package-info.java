/**
 * Paper figures, headless: the Figure 1 embedding plot, heat maps (layers x experts, experts x experts), grouped
 * expert-share bars and training curves, drawn with XChart and written by {@link dev.routelens.viz.PlotWriter}
 * as PNG (150 dpi or more), SVG and the CSV of the numbers behind each plot.
 *
 * <p>Inputs are plain matrices and label lists; nothing here knows about models or routing. Classes keep the
 * same colour and marker in every plot ({@link dev.routelens.viz.ClassStyle}).
 */
package dev.routelens.viz;
