package dev.routelens.routing;

/**
 * What one document's forward pass produced beyond its gate logits, for the studies that need the model's outputs:
 * the predicted next token ({@link TokenSpecialisation.Key#PREDICTED_NEXT}) and, for every chosen expert, its
 * applied routing weight and the L2 norm of its unweighted output ({@link ExpertSaliency}). Slot s of a token is
 * the model's own s-th choice (by descending probability), as {@code layers.{i}.moe.topk} gives it.
 *
 * @param predictedNext argmax of the output logits at each token // [T]
 * @param experts the chosen experts per MoE layer and token // [M][T][k]
 * @param weights the weights applied to them // [M][T][k]
 * @param outputNorms the L2 norms of their unweighted outputs, ||f_e(x)||_2 // [M][T][k]
 */
public record ExpertOutputs(int[] predictedNext, int[][][] experts, float[][][] weights, float[][][] outputNorms) {

    public ExpertOutputs {
        if (predictedNext == null || experts == null || weights == null || outputNorms == null) {
            throw new IllegalArgumentException("expert outputs: predicted tokens, experts, weights and norms are all needed");
        }
        if (weights.length != experts.length || outputNorms.length != experts.length) {
            throw new IllegalArgumentException("expert outputs: " + experts.length + " layers of experts, "
                    + weights.length + " of weights, " + outputNorms.length + " of norms");
        }
        for (int m = 0; m < experts.length; m++) {
            if (experts[m].length != predictedNext.length || weights[m].length != predictedNext.length
                    || outputNorms[m].length != predictedNext.length) {
                throw new IllegalArgumentException("expert outputs: layer slot " + m + " does not have "
                        + predictedNext.length + " tokens");
            }
        }
    }

    /** Tokens, T. */
    public int numTokens() {
        return predictedNext.length;
    }
}
