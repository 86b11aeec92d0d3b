package dev.routelens.model;

/**
 * One place in the forward pass where a hook may read or replace a tensor.
 *
 * <p>Tensors at a site are packed: one row per real token of the batch, documents in order, no
 * padding. {@code rows} is {@code null} when the tensor has a row for every packed token; for
 * {@code layers.{i}.moe.experts.{j}.out} it lists the packed token index of each row.
 *
 * @param name structural name, e.g. {@code layers.3.moe.gate}
 * @param layer layer index, or -1 outside the decoder layers
 * @param batch the batch being run
 * @param rows packed token index per row [n], or null for all tokens in order
 */
public record HookSite(String name, int layer, TokenBatch batch, long[] rows) {
    public HookSite {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("hook site needs a name");
        }
    }
}
