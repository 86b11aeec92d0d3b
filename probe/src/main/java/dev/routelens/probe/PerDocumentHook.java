package dev.routelens.probe;

import ai.djl.ndarray.NDArray;
import dev.routelens.model.HookSite;

/**
 * A hook that acts on one document at a time; turn it into a {@link Hook} with {@link Hook#perDocument}.
 * It receives the document's rows of the site's tensor (for {@code moe.experts.{j}.out}, only the rows routed
 * from that document; a document with none is skipped) and returns a replacement of the same shape, or null to
 * leave them. {@code doc} is the caller's index, the position in the list given to the probe's verb, whatever
 * batch the document ran in; a document longer than the context runs in pieces and is shown piece by piece
 * under the same index. The tensor lives only for the forward pass: copy what you keep.
 */
@FunctionalInterface
public interface PerDocumentHook {
    NDArray apply(NDArray docTensor, int doc, HookSite site); // docTensor [T_doc or n_doc, ...]
}
