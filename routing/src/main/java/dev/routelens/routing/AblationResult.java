package dev.routelens.routing;

import java.util.List;
import java.util.Map;

/**
 * One ablation's effect per class: mean next-token NLL before and after, and the fraction of
 * tokens whose top-k set changed at each MoE layer (NaN before the ablated layer).
 *
 * @param ablation what was knocked out
 * @param classes per-class NLL, the pooled {@link RoutingReport#ALL_CLASSES} row last
 * @param routingShift class -> [M] fraction of tokens whose top-k set changed, one entry per MoE layer
 * @param layers real index of each entry of the routing-shift arrays // [M]
 */
public record AblationResult(Ablation ablation, List<ClassNll> classes, Map<String, double[]> routingShift,
                             int[] layers) {

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

    /** The routing-shift fraction of {@code label} at real layer {@code layer}; NaN where nothing was compared. */
    public double shiftAt(String label, int layer) {
        int slot = MoeLayers.slotOf(layers, layer);
        if (slot < 0) {
            throw new IllegalArgumentException("layer " + layer + " is not an MoE layer of this result ("
                    + MoeLayers.list(layers) + ")");
        }
        return routingShift.get(label)[slot];
    }
}
