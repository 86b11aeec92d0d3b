package dev.routelens.model;

import ai.djl.Device;
import dev.routelens.model.checkpoint.Checkpoint;
import dev.routelens.model.checkpoint.CheckpointWeights;
import dev.routelens.model.checkpoint.FiniteScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Loads an HF checkpoint directory of any supported family, validating it fully before any weight is used. */
public final class ModelLoader {
    private ModelLoader() {
    }

    /**
     * Opens {@code dir}, validates every tensor against config.json (shape, float dtype, finite values, and
     * F16's range for the F16 path), and builds the model in memory.
     */
    public static MoeTransformer load(Path dir, Device device, Precision precision) throws IOException {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            checkpoint.validate();
            boolean f16 = precision == Precision.F16;
            FiniteScan.check(checkpoint, List.copyOf(checkpoint.expectedShapes().keySet()), f16);
            return MoeTransformer.create(checkpoint.config(), new CheckpointWeights(checkpoint, f16, true), device,
                    precision);
        }
    }

    /**
     * Opens {@code dir} for a layer-streamed model. Before anything runs, every tensor of every layer is
     * checked: present, with the shape config.json implies, a float dtype, and every value finite (and
     * within F16's range for the F16 path). The checkpoint stays open until the model is closed.
     */
    public static MoeTransformer loadStreamed(Path dir, Device device, Precision precision) throws IOException {
        Checkpoint checkpoint = Checkpoint.open(dir);
        try {
            checkpoint.validate();
            boolean f16 = precision == Precision.F16;
            FiniteScan.check(checkpoint, List.copyOf(checkpoint.expectedShapes().keySet()), f16);
            return MoeTransformer.streamed(checkpoint.config(), new CheckpointWeights(checkpoint, f16, true),
                    checkpoint, device, precision);
        } catch (IOException | RuntimeException | Error e) {
            try {
                checkpoint.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Builds a model with seeded random weights for {@code configJson}: no checkpoint needed. */
    public static MoeTransformer randomInit(Path configJson, long seed, Device device, Precision precision)
            throws IOException {
        return MoeTransformer.create(MoeConfig.read(configJson), RandomWeights.of(seed), device, precision);
    }

    /** A streamed model whose layers are generated, with the same values as {@link #randomInit}, as they run. */
    public static MoeTransformer randomInitStreamed(Path configJson, long seed, Device device, Precision precision)
            throws IOException {
        return MoeTransformer.streamed(MoeConfig.read(configJson), RandomWeights.of(seed), null, device, precision);
    }
}
