package dev.routelens.routing;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;

/**
 * Routing metrics of one layer over the documents of one class label (or of all classes, see
 * {@link RoutingReport#ALL_CLASSES}). Undefined values (no token pairs, no token id seen often
 * enough, an expert never chosen) are NaN.
 *
 * @param label class label, or {@link RoutingReport#ALL_CLASSES}
 * @param layer real decoder-layer index of this MoE layer, 0-based (dense layers have no rows)
 * @param documents documents counted
 * @param tokens tokens counted
 * @param tokenPairs consecutive token pairs within documents
 * @param expertShare fraction of top-k slots each expert receives; uniform = 1/E // [E]
 * @param meanProbability mean router probability per expert, P_e // [E]
 * @param repetitionTop1 fraction of consecutive pairs with the same first choice; random 1/E
 * @param repetitionEither fraction of consecutive pairs whose top-k sets intersect
 * @param vocabularySpecialisation mean over token ids seen at least the minimum number of times of
 *     (uses of the id's most-used top-1 expert) / (occurrences of the id)
 * @param vocabularyIds how many token ids entered that mean
 * @param coActivation P(to chosen | from chosen) within one token's top-k; diagonal defined as 1;
 *     a row is NaN off the diagonal when its expert was never chosen // [E][E]
 * @param loadBalance E * sum_e f_e * P_e, f_e = expertShare; 1 when uniform
 * @param entropy mean per-token entropy of the router softmax, in nats; at most ln E
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class) // JSON keys snake_case, as in every output
public record LayerClassMetrics(
        String label,
        int layer,
        long documents,
        long tokens,
        long tokenPairs,
        double[] expertShare,
        double[] meanProbability,
        double repetitionTop1,
        double repetitionEither,
        double vocabularySpecialisation,
        int vocabularyIds,
        double[][] coActivation,
        double loadBalance,
        double entropy) {

    public LayerClassMetrics {
        if (label == null) {
            throw new IllegalArgumentException("layer metrics: label is missing");
        }
        String where = "layer metrics of class '" + label + "' layer " + layer + ": ";
        if (layer < 0 || documents < 0 || tokens < 0 || tokenPairs < 0 || vocabularyIds < 0) {
            throw new IllegalArgumentException(where + "layer and counts must be non-negative");
        }
        if (expertShare == null || expertShare.length == 0) {
            throw new IllegalArgumentException(where + "expert share is empty");
        }
        int experts = expertShare.length;
        if (meanProbability == null || meanProbability.length != experts) {
            throw new IllegalArgumentException(where + "mean probability must have " + experts + " entries");
        }
        if (coActivation == null || coActivation.length != experts) {
            throw new IllegalArgumentException(where + "co-activation must be " + experts + " x " + experts);
        }
        for (double[] row : coActivation) {
            if (row == null || row.length != experts) {
                throw new IllegalArgumentException(where + "co-activation must be " + experts + " x " + experts);
            }
        }
    }

    /** E, the number of experts. */
    public int numExperts() {
        return expertShare.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LayerClassMetrics that
                && label.equals(that.label)
                && layer == that.layer
                && documents == that.documents
                && tokens == that.tokens
                && tokenPairs == that.tokenPairs
                && Arrays.equals(expertShare, that.expertShare)
                && Arrays.equals(meanProbability, that.meanProbability)
                && Double.compare(repetitionTop1, that.repetitionTop1) == 0
                && Double.compare(repetitionEither, that.repetitionEither) == 0
                && Double.compare(vocabularySpecialisation, that.vocabularySpecialisation) == 0
                && vocabularyIds == that.vocabularyIds
                && Arrays.deepEquals(coActivation, that.coActivation)
                && Double.compare(loadBalance, that.loadBalance) == 0
                && Double.compare(entropy, that.entropy) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * label.hashCode() + layer) + Arrays.hashCode(expertShare);
    }

    @Override
    public String toString() {
        return "LayerClassMetrics[label=" + label + ", layer=" + layer + ", tokens=" + tokens
                + ", expertShare=" + Arrays.toString(expertShare)
                + ", repetitionTop1=" + repetitionTop1 + ", repetitionEither=" + repetitionEither
                + ", vocabularySpecialisation=" + vocabularySpecialisation
                + ", loadBalance=" + loadBalance + ", entropy=" + entropy + "]";
    }
}
