package dev.routelens.probe;

import ai.djl.ndarray.NDArray;
import dev.routelens.model.HookSite;

/**
 * One hook: reads the tensor at a site and returns a replacement of the same shape, or null to
 * leave it unchanged. The tensor lives only for the forward pass: copy what you keep.
 */
@FunctionalInterface
public interface Hook {
    NDArray apply(NDArray tensor, HookSite site);
}
