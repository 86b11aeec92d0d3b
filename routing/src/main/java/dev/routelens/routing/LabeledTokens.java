package dev.routelens.routing;

/**
 * A tokenised document with its class label, as the studies take it.
 *
 * @param id document id
 * @param label class label
 * @param ids token ids fed to the model [T]
 */
public record LabeledTokens(String id, String label, int[] ids) {
    public LabeledTokens {
        if (id == null || label == null || ids == null || ids.length == 0) {
            throw new IllegalArgumentException("document '" + id + "' needs a label and at least one token");
        }
    }
}
