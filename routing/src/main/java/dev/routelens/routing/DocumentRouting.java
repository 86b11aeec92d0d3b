package dev.routelens.routing;

import dev.routelens.core.InputKind;

/**
 * The captured routing of one document: its token ids and, for every MoE layer, the raw gate
 * logits {@code g_i = h_i W_g} (pre-softmax), one row per real token. There is never padding.
 *
 * <p>Only MoE layers have a router: in a family with dense layers (Qwen's {@code mlp_only_layers}) the M
 * entries of {@code gateLogits} are the MoE layers in order, and {@code layers} names the real decoder
 * layer of each. Messages name real layers.
 *
 * <p>The arrays are held, not copied (gate logits of a long document are large); callers must not
 * change them afterwards. Equality is by reference for the arrays, as for any record.
 *
 * @param id document id, used in every error message
 * @param label class label used to group metrics (for example a corpus category)
 * @param kind what the document is
 * @param tokenIds token ids, non-negative // [T]
 * @param gateLogits raw pre-softmax gate logits, finite // [M][T][E]
 * @param layers real index of each MoE layer, ascending // [M]
 */
public record DocumentRouting(
        String id,
        String label,
        InputKind kind,
        int[] tokenIds,
        float[][][] gateLogits,
        int[] layers) {

    /** A document of a model whose layers are all MoE layers: {@code gateLogits[i]} is layer i. */
    public DocumentRouting(String id, String label, InputKind kind, int[] tokenIds, float[][][] gateLogits) {
        this(id, label, kind, tokenIds, gateLogits, gateLogits == null ? null : MoeLayers.all(gateLogits.length));
    }

    public DocumentRouting {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("document id must not be blank");
        }
        String where = "document '" + id + "': ";
        if (label == null) {
            throw new IllegalArgumentException(where + "label is missing");
        }
        if (kind == null) {
            throw new IllegalArgumentException(where + "kind is missing");
        }
        if (tokenIds == null || tokenIds.length == 0) {
            throw new IllegalArgumentException(where + "has no tokens");
        }
        for (int t = 0; t < tokenIds.length; t++) {
            if (tokenIds[t] < 0) {
                throw new IllegalArgumentException(where + "token " + t + " has negative id " + tokenIds[t]);
            }
        }
        if (gateLogits == null || gateLogits.length == 0) {
            throw new IllegalArgumentException(where + "has no gate-logit layers");
        }
        MoeLayers.check(layers, gateLogits.length, where);
        int experts = -1;
        for (int slot = 0; slot < gateLogits.length; slot++) {
            int layer = layers[slot];
            float[][] rows = gateLogits[slot]; // [T][E]
            if (rows == null || rows.length != tokenIds.length) {
                throw new IllegalArgumentException(where + "gate logits of layer " + layer + " have "
                        + (rows == null ? 0 : rows.length) + " token rows, expected " + tokenIds.length);
            }
            for (int t = 0; t < rows.length; t++) {
                float[] row = rows[t]; // [E]
                if (row == null || row.length == 0) {
                    throw new IllegalArgumentException(where + "gate logits of layer " + layer + " token " + t + " are empty");
                }
                if (experts < 0) {
                    experts = row.length;
                } else if (row.length != experts) {
                    throw new IllegalArgumentException(where + "gate logits of layer " + layer + " token " + t
                            + " have " + row.length + " experts, expected " + experts);
                }
                for (int e = 0; e < row.length; e++) {
                    if (!Float.isFinite(row[e])) {
                        throw new IllegalArgumentException(where + "gate logit at layer " + layer + " token " + t
                                + " expert " + e + " is " + row[e]);
                    }
                }
            }
        }
    }

    /** M, the number of MoE layers (entries of {@link #gateLogits}). */
    public int numLayers() {
        return gateLogits.length;
    }

    /** T, the number of tokens. */
    public int numTokens() {
        return tokenIds.length;
    }

    /** E, the number of experts. */
    public int numExperts() {
        return gateLogits[0][0].length;
    }

    @Override
    public String toString() {
        return "DocumentRouting[id=" + id + ", label=" + label + ", kind=" + kind.id()
                + ", L=" + numLayers() + (MoeLayers.isAll(layers) ? "" : " " + java.util.Arrays.toString(layers)) + ", T=" + numTokens() + ", E=" + numExperts() + "]";
    }
}
