package dev.routelens.probe;

import dev.routelens.model.ForwardResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Probe#runWithCache} captured: per document, hook name -> tensor, with no padding
 * rows, plus the forward pass's NLL.
 */
public final class ActivationCache {
    private static final int NAMES_SHOWN = 5;
    private final List<Map<String, CapturedTensor>> perDocument;
    private final ForwardResult result;

    /** A cache of per-document captures (name -> tensor, in forward order) and the run's NLL. */
    public ActivationCache(List<Map<String, CapturedTensor>> perDocument, ForwardResult result) {
        this.perDocument = perDocument;
        this.result = result;
    }

    /** Number of documents. */
    public int size() {
        return perDocument.size();
    }

    /** The tensor captured at {@code name} for document {@code doc}. */
    public CapturedTensor get(int doc, String name) {
        CapturedTensor t = perDocument.get(doc).get(name);
        if (t == null) {
            throw new IllegalArgumentException("nothing captured at '" + name + "' for document " + doc
                    + " (captured: " + names(doc) + ")");
        }
        return t;
    }

    /** The tensor captured at {@code name} in a one-document run; refused when the cache holds several. */
    public CapturedTensor get(String name) {
        if (perDocument.size() != 1) {
            throw new IllegalStateException("the cache holds " + perDocument.size() + " documents: use get(doc, name)");
        }
        return get(0, name);
    }

    /** Whether {@code name} was captured for document {@code doc}. */
    public boolean has(int doc, String name) {
        return perDocument.get(doc).containsKey(name);
    }

    /** Names captured for document {@code doc}, in forward order. */
    public Set<String> names(int doc) {
        return Collections.unmodifiableSet(perDocument.get(doc).keySet());
    }

    /** All tensors of document {@code doc}. */
    public Map<String, CapturedTensor> document(int doc) {
        return Collections.unmodifiableMap(perDocument.get(doc));
    }

    /** Per-document NLL of the run. */
    public ForwardResult result() {
        return result;
    }

    /**
     * E.g. {@code ActivationCache[4 documents, 3 names: layers.0.moe.gate, layers.1.moe.gate, layers.2.moe.gate]};
     * names over all documents in first-seen order, the first {@value #NAMES_SHOWN} of them.
     */
    @Override
    public String toString() {
        Set<String> names = new java.util.LinkedHashSet<>();
        perDocument.forEach(d -> names.addAll(d.keySet()));
        String shown = String.join(", ", names.stream().limit(NAMES_SHOWN).toList());
        return "ActivationCache[" + perDocument.size() + (perDocument.size() == 1 ? " document, " : " documents, ")
                + names.size() + (names.size() == 1 ? " name" : " names") + (names.isEmpty() ? "" : ": " + shown)
                + (names.size() > NAMES_SHOWN ? ", ..." : "") + "]";
    }

    static Map<String, CapturedTensor> newDocumentMap() {
        return new LinkedHashMap<>();
    }
}
