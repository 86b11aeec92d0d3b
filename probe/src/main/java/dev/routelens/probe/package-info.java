/**
 * Named hook points on a {@link dev.routelens.model.MoeTransformer}, and the two verbs that use them:
 * {@link dev.routelens.probe.Probe#runWithCache} captures tensors per document (no padding), and
 * {@link dev.routelens.probe.Probe#runWithHooks} lets hooks read a tensor and return a replacement.
 *
 * <p>Hooks are global state of a probe while registered: {@link dev.routelens.probe.Probe#hooks}
 * returns a scope that removes them on close. What each name holds is in {@link dev.routelens.probe.HookPoints};
 * a model lists its own sites in {@link dev.routelens.model.MoeTransformer#hookNames()}, and a hook that
 * matches none of them is refused.
 */
package dev.routelens.probe;
