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
        return name.endsWith(".moe.gate") || name.endsWith(".moe.topk") || name.endsWith(".moe.topk_weights");
    }

    @Override
    public NDArray apply(HookSite site, NDArray tensor) {
        if (site.name().endsWith(".moe.topk")) {
            longs.put(site.name(), tensor.toLongArray());
        } else {
            floats.put(site.name(), tensor.toFloatArray());
        }
        return null;
    }
}
