package dev.routelens.model;

/**
 * What one decoder layer cost in a layer-major run.
 *
 * @param group the group of batches (see {@link StreamGroups})
 * @param layer the decoder layer
 * @param loadSeconds building the layer's weights (reading or generating, converting, uploading)
 * @param waitSeconds how long compute waited for them (less than load when loaded ahead)
 * @param computeSeconds running every batch of the group through the layer
 * @param tokens real tokens that passed the layer
 */
public record LayerTiming(int group, int layer, double loadSeconds, double waitSeconds, double computeSeconds,
                          long tokens) {
}
