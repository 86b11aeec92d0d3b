/**
 * The command line: options, progress and summaries over the study module, which does the work, so the CLI
 * and the JShell facade write the same folders. {@code ./routelens figure1} reproduces SciDFM's Figure 1;
 * {@code probe}, {@code stats}, {@code ablate}, {@code train}, {@code evaluate}, {@code bench} and {@code jshell}
 * cover the rest; bench's sections live in {@code dev.routelens.cli.bench}.
 */
package dev.routelens.cli;
