package dev.routelens.model;

import ai.djl.Device;
import dev.routelens.model.checkpoint.Checkpoint;
import dev.routelens.model.checkpoint.CheckpointWeights;
import java.io.IOException;
import java.nio.file.Path;

/** Loads a Mixtral-layout HF checkpoint directory, validating it fully before any weight is read. */
public final class ModelLoader {
    private ModelLoader() {
    }

    /** Opens {@code dir}, validates every tensor against config.json, and builds the model. */
    public static MoeTransformer load(Path dir, Device device, Precision precision) throws IOException {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            checkpoint.validateMixtral();
            return MoeTransformer.create(checkpoint.config(), new CheckpointWeights(checkpoint,
                    precision == Precision.F16), device, precision);
        }
    }

    /** Builds a model with seeded random weights for {@code configJson}: no checkpoint needed. */
    public static MoeTransformer randomInit(Path configJson, long seed, Device device, Precision precision)
            throws IOException {
        return MoeTransformer.create(MoeConfig.read(configJson), RandomWeights.of(seed), device, precision);
    }
}
