package dev.routelens.model;

/**
 * One place in the forward pass where a hook may read or replace a tensor.
 *
 * <p>Tensors at a site are packed: one row per real token of the batch, documents in order, no
 * padding. {@code rows} is {@code null} when the tensor has a row for every packed token; for
 * {@code layers.{i}.moe.experts.{j}.out} it lists the packed token index of each row, ascending.
 *
 * @param name structural name, e.g. {@code layers.3.moe.gate}
 * @param layer layer index, or -1 outside the decoder layers
 * @param batch the batch being run
 * @param rows packed token index per row [n], or null for all tokens in order
 * @param documents the caller's index of each document of the batch [B] (a probe's runs bucket documents by
 *                  length, and cut long ones into pieces), or null when batch positions are the indices
 */
public record HookSite(String name, int layer, TokenBatch batch, long[] rows, int[] documents) {
    public HookSite {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("hook site needs a name");
        }
        if (documents != null && documents.length != batch.size()) {
            throw new IllegalArgumentException(name + ": " + documents.length + " document indices for a batch of "
                    + batch.size());
        }
    }

    /** A site whose batch positions are the document indices. */
    public HookSite(String name, int layer, TokenBatch batch, long[] rows) {
        this(name, layer, batch, rows, null);
    }

    /** This site with the caller's index of each batch document [B]. */
    public HookSite withDocuments(int[] documents) {
        return new HookSite(name, layer, batch, rows, documents);
    }

    /** The caller's index of the batch's document {@code b}. */
    public int document(int b) {
        return documents == null ? b : documents[b];
    }

    /** The first row of this site's tensor that belongs to batch document {@code b}; {@code rowStart(B)} is the end. */
    public int rowStart(int b) {
        int token = batch.offset(b);
        if (rows == null) {
            return token;
        }
        int lo = 0;
        int hi = rows.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (rows[mid] < token) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
