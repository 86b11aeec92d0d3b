/**
 * Named hook points on a {@link dev.routelens.model.MoeTransformer}, and the two verbs that use them:
 * {@link dev.routelens.probe.Probe#runWithCache} captures tensors per document (no padding), and
 * {@link dev.routelens.probe.Probe#runWithHooks} lets hooks read a tensor and return a replacement.
 *
 * <p>Hooks are global state of a probe while registered: {@link dev.routelens.probe.Probe#hooks}
 * returns a scope that removes them on close. Each name, and what its tensor holds, belongs to the
 * component that computes it: {@link dev.routelens.model.MoeTransformer} ({@code embed}, {@code final.norm},
 * {@code logits}), {@link dev.routelens.model.DecoderLayer} ({@code layers.{i}.resid.pre}, ...),
 * {@link dev.routelens.model.SparseMoe} ({@code layers.{i}.moe.gate}, ...) and
 * {@link dev.routelens.model.DenseMlp}; each offers static name builders and globs. A model lists its own
 * sites in {@link dev.routelens.model.MoeTransformer#hookNames()}, and a hook that matches none of them is
 * refused.
 */
package dev.routelens.probe;
