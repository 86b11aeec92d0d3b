package dev.routelens.model;

import ai.djl.ndarray.NDArray;

/**
 * Explicit hook calls inside the forward pass (DJL has no forward hooks).
 *
 * <p>The model asks {@link #wants(String)} first, so sites nobody listens to cost nothing. A hook
 * returns a replacement tensor of the same shape, or {@code null} to keep the original. A returned
 * tensor belongs to the forward pass from then on.
 */
public interface ForwardHooks {

    /** No hooks: the plain forward. */
    ForwardHooks NONE = new ForwardHooks() {
        @Override
        public boolean wants(String name) {
            return false;
        }

        @Override
        public NDArray apply(HookSite site, NDArray tensor) {
            return null;
        }
    };

    /** Whether any hook listens at {@code name}. */
    boolean wants(String name);

    /** Reads {@code tensor} at {@code site}; returns a replacement or null. */
    NDArray apply(HookSite site, NDArray tensor);

    /** Calls the hook when one listens and returns the tensor to use from here on. */
    static NDArray visit(ForwardHooks hooks, String name, int layer, TokenBatch batch, long[] rows, NDArray tensor) {
        if (!hooks.wants(name)) {
            return tensor;
        }
        NDArray replacement = hooks.apply(new HookSite(name, layer, batch, rows), tensor);
        if (replacement == null || replacement == tensor) {
            return tensor;
        }
        if (!replacement.getShape().equals(tensor.getShape())) {
            throw new IllegalStateException("hook at " + name + " returned shape " + replacement.getShape()
                    + ", expected " + tensor.getShape());
        }
        return replacement.getDataType() == tensor.getDataType()
                ? replacement : replacement.toType(tensor.getDataType(), false);
    }
}
