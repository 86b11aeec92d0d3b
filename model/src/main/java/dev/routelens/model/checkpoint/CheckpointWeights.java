package dev.routelens.model.checkpoint;

import dev.routelens.model.WeightSource;
import java.io.IOException;

/**
 * Weights read from a validated {@link Checkpoint}, widened to float32. When {@code refuseF16Overflow}
 * is set (the GPU's F16 path), a value beyond F16's range is refused naming the tensor; NaN and
 * infinite weights are always refused.
 */
public final class CheckpointWeights implements WeightSource {
    private final Checkpoint checkpoint;
    private final boolean refuseF16Overflow;

    public CheckpointWeights(Checkpoint checkpoint, boolean refuseF16Overflow) {
        this.checkpoint = checkpoint;
        this.refuseF16Overflow = refuseF16Overflow;
    }

    @Override
    public float[] read(String name, long... shape) throws IOException {
        checkpoint.requireShape(name, shape);
        return checkpoint.readFloatsChecked(name, refuseF16Overflow); // widened and checked in one pass
    }

    @Override
    public String describe() {
        return checkpoint.directory().toString();
    }
}
