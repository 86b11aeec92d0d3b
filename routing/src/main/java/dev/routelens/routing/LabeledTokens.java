package dev.routelens.routing;

import dev.routelens.core.InputKind;

/**
 * A tokenised document with its class label, as the studies take it.
 *
 * @param id document id
 * @param label class label
 * @param kind text, smiles or protein
 * @param ids token ids fed to the model [T]
 */
public record LabeledTokens(String id, String label, InputKind kind, int[] ids) {
    public LabeledTokens {
        if (id == null || label == null || kind == null || ids == null || ids.length == 0) {
            throw new IllegalArgumentException("document '" + id + "' needs a label, a kind and at least one token");
        }
    }
}
