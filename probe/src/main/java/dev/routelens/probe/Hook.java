package dev.routelens.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import dev.routelens.model.HookSite;
import java.util.ArrayList;
import java.util.List;

/**
 * One hook: reads the tensor at a site and returns a replacement of the same shape, or null to
 * leave it unchanged. The tensor is packed across the batch (see {@link HookSite}); to act per document,
 * use {@link #perDocument}. The tensor lives only for the forward pass: copy what you keep.
 */
@FunctionalInterface
public interface Hook {
    NDArray apply(NDArray tensor, HookSite site);

    /**
     * A hook that slices the packed tensor [rows, ...] by document ({@link HookSite#rowStart}), calls
     * {@code hook} on each document's rows with the caller's document index, and reassembles the replacements
     * in packed order; null when no document's rows were replaced.
     */
    static Hook perDocument(PerDocumentHook hook) {
        return (tensor, site) -> {
            int documents = site.batch().size();
            List<NDArray> parts = new ArrayList<>(documents);
            boolean replaced = false;
            for (int b = 0; b < documents; b++) {
                int from = site.rowStart(b);
                int to = site.rowStart(b + 1);
                if (from == to) {
                    continue; // an expert site with no rows from this document
                }
                NDArray rows = tensor.get(new NDIndex(from + ":" + to));                  // [n_b, ...]
                NDArray out = hook.apply(rows, site.document(b), site);
                if (out != null && out != rows) {
                    if (!out.getShape().equals(rows.getShape())) {
                        throw new IllegalStateException("per-document hook at " + site.name() + " returned shape "
                                + out.getShape() + " for document " + site.document(b) + ", expected " + rows.getShape());
                    }
                    replaced = true;
                }
                parts.add(out == null ? rows : out);
            }
            if (!replaced) {
                parts.forEach(NDArray::close);
                return null;
            }
            return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0); // [rows, ...]
        };
    }
}
