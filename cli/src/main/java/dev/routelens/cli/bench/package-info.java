/**
 * {@code routelens bench}: one class per section of figures (forward, dispatch, batching, ablation sweep,
 * t-SNE, matmul rate, memory, layer-streamed pass, kill-and-resume soak), {@link dev.routelens.cli.bench.BenchRun}
 * running them in order and {@link dev.routelens.cli.bench.BenchReport} printing each section's figures as it
 * finishes. Timings are medians of interleaved repeats ({@link dev.routelens.model.bench.Repeats}).
 */
package dev.routelens.cli.bench;
