package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import java.util.HashMap;
import java.util.Map;

/** Test hooks that copy gate logits and top-k ids of every layer to the host, per packed batch. */
final class GateCapture implements ForwardHooks {
    final Map<String, float[]> floats = new HashMap<>();
    final Map<String, long[]> longs = new HashMap<>();

    @Override
    public boolean wants(String name) {
        int l = DecoderLayer.layerOf(name);
        return name.equals(SparseMoe.gate(l)) || name.equals(SparseMoe.topk(l)) || name.equals(SparseMoe.topkWeights(l));
    }

    @Override
    public NDArray apply(HookSite site, NDArray tensor) {
        if (site.name().equals(SparseMoe.topk(site.layer()))) {
            longs.put(site.name(), tensor.toLongArray());
        } else {
            floats.put(site.name(), tensor.toFloatArray());
        }
        return null;
    }
}
