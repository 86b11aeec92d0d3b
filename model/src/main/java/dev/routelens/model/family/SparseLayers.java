package dev.routelens.model.family;

import java.util.ArrayList;
import java.util.List;

/**
 * The Qwen rule for which layers have a router: layer i is sparse when it is not in {@code mlp_only_layers},
 * experts exist, and {@code (i + 1) % decoder_sparse_step == 0} (HF's Qwen2MoeDecoderLayer and
 * Qwen3MoeDecoderLayer); every other layer has a dense MLP.
 */
final class SparseLayers {
    private SparseLayers() {
    }

    /** The dense layers of a {@code layers}-layer model, ascending. */
    static List<Integer> dense(HfConfig c, int layers, int experts) {
        int step = c.intOr("decoder_sparse_step", 1);
        if (step <= 0) {
            throw new IllegalArgumentException("decoder_sparse_step must be positive, got " + step);
        }
        List<Integer> mlpOnly = c.intList("mlp_only_layers");
        for (int layer : mlpOnly) {
            if (layer < 0 || layer >= layers) {
                throw new IllegalArgumentException("mlp_only_layers names layer " + layer + " outside [0, "
                        + layers + ")");
            }
        }
        List<Integer> dense = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            if (mlpOnly.contains(i) || experts <= 0 || (i + 1) % step != 0) {
                dense.add(i);
            }
        }
        return dense;
    }
}
