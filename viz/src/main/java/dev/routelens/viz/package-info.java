/**
 * Publication plots with XChart, rendered headless: Figure 1 (a 3-D embedding as an oblique view and
 * three axis-pair projections), heatmaps, grouped bar charts and line charts. Every plot is written as
 * PNG (at least 150 dpi) and SVG, with the data behind it as CSV, each file atomically.
 */
package dev.routelens.viz;
