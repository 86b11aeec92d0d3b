package dev.routelens.routing;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Domain-expert mutual information at one MoE layer: I(class; expert) over top-k slots, each token contributing
 * its k chosen experts as k slots, so the joint distribution is N(class, expert) / N over the real classes
 * (not {@link RoutingReport#ALL_CLASSES}). Independent routing (every class with the same expert distribution)
 * gives 0; routing that names the class gives H(class).
 *
 * @param layer real index of the MoE layer
 * @param mutualInformationNats I(class; expert) in nats; NaN when no slot was counted
 * @param normalised I / sqrt(H(class) H(expert)), in [0, 1]; NaN when there is one class or one expert used
 * @param classEntropyNats H(class) over slots (class proportions of tokens)
 * @param expertEntropyNats H(expert) over slots
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class) // JSON keys snake_case, as in every output
public record ClassExpertInformation(int layer, double mutualInformationNats, double normalised,
                                     double classEntropyNats, double expertEntropyNats) {

    static ClassExpertInformation of(int layer, long[][] classByExpert) { // [C][E] slot counts
        ContingencyTable.Information info = ContingencyTable.of(classByExpert);
        return new ClassExpertInformation(layer, info.mutualInformation(), info.normalised(),
                info.rowEntropy(), info.columnEntropy());
    }
}
