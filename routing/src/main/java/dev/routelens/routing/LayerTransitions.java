package dev.routelens.routing;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;

/**
 * Layer-to-layer transitions of the first choice between two consecutive MoE layers, over the tokens of one class
 * (or of all classes, {@link RoutingReport#ALL_CLASSES}): how often a token whose first choice at {@code fromLayer}
 * is expert i has first choice j at {@code toLayer}, and P(j | i). The mutual information between the two first
 * choices is 0 when the layers route independently and H(first choice at fromLayer) when the later choice is a
 * function of the earlier one and vice versa (a permutation).
 *
 * @param label class label, or {@link RoutingReport#ALL_CLASSES}
 * @param fromLayer real index of the earlier MoE layer
 * @param toLayer real index of the next MoE layer
 * @param counts tokens with first choice i at fromLayer and j at toLayer // [E][E]
 * @param probability P(j at toLayer | i at fromLayer); a row is NaN when i was never a first choice // [E][E]
 * @param mutualInformationNats I(first at fromLayer; first at toLayer), nats; NaN with no tokens
 * @param fromEntropyNats H(first choice at fromLayer), nats
 * @param toEntropyNats H(first choice at toLayer), nats
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class) // JSON keys snake_case, as in every output
public record LayerTransitions(String label, int fromLayer, int toLayer, long[][] counts, double[][] probability,
                               double mutualInformationNats, double fromEntropyNats, double toEntropyNats) {

    static LayerTransitions of(String label, int fromLayer, int toLayer, long[][] counts) { // [E][E]
        double[][] probability = new double[counts.length][counts.length]; // [E][E]
        for (int from = 0; from < counts.length; from++) {
            long total = Arrays.stream(counts[from]).sum();
            for (int to = 0; to < counts.length; to++) {
                probability[from][to] = total == 0 ? Double.NaN : counts[from][to] / (double) total;
            }
        }
        ContingencyTable.Information info = ContingencyTable.of(counts);
        long[][] copy = Arrays.stream(counts).map(long[]::clone).toArray(long[][]::new);
        return new LayerTransitions(label, fromLayer, toLayer, copy, probability, info.mutualInformation(),
                info.rowEntropy(), info.columnEntropy());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LayerTransitions that
                && label.equals(that.label)
                && fromLayer == that.fromLayer
                && toLayer == that.toLayer
                && Arrays.deepEquals(counts, that.counts)
                && Arrays.deepEquals(probability, that.probability)
                && Double.compare(mutualInformationNats, that.mutualInformationNats) == 0
                && Double.compare(fromEntropyNats, that.fromEntropyNats) == 0
                && Double.compare(toEntropyNats, that.toEntropyNats) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * label.hashCode() + fromLayer) + Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "LayerTransitions[label=" + label + ", " + fromLayer + " -> " + toLayer
                + ", mutualInformationNats=" + mutualInformationNats + "]";
    }
}
