package dev.routelens.routing;

import java.util.List;
import java.util.Map;

/**
 * One ablation's effect per class: mean next-token NLL before and after, and the fraction of
 * tokens whose top-k set changed at each layer (NaN before the ablated layer).
 *
 * @param ablation what was knocked out
 * @param classes per-class NLL, the pooled {@link RoutingReport#ALL_CLASSES} row last
 * @param routingShift class -> [L] fraction of tokens whose top-k set changed
 */
public record AblationResult(Ablation ablation, List<ClassNll> classes, Map<String, double[]> routingShift) {

    /**
     * @param label class
     * @param nllBase mean NLL without the ablation
     * @param nllAblated mean NLL with it
     * @param tokens predicted tokens
     */
    public record ClassNll(String label, double nllBase, double nllAblated, long tokens) {
        public double delta() {
            return nllAblated - nllBase;
        }
    }
}
