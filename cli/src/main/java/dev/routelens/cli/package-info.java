/**
 * The command line: a thin composition root over model, probe, routing, embed and viz.
 * {@code ./routelens figure1} reproduces SciDFM's Figure 1; {@code probe}, {@code stats},
 * {@code ablate}, {@code train}, {@code bench} and {@code jshell} cover the rest; bench's sections live in
 * {@code dev.routelens.cli.bench}.
 */
package dev.routelens.cli;
