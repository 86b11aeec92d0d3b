package dev.routelens.model.checkpoint;

import dev.routelens.model.WeightSource;
import java.io.IOException;
import java.nio.FloatBuffer;

/**
 * Weights read from a validated {@link Checkpoint}, widened to float32. When {@code refuseF16Overflow}
 * is set (the GPU's F16 path), a value beyond F16's range is refused naming the tensor; NaN and
 * infinite weights are always refused. When every value has already passed a {@link FiniteScan}
 * ({@code scanned}), {@link #readInto} widens straight into the caller's buffer with no second check.
 */
public final class CheckpointWeights implements WeightSource {
    private final Checkpoint checkpoint;
    private final boolean refuseF16Overflow;
    private final boolean scanned;

    public CheckpointWeights(Checkpoint checkpoint, boolean refuseF16Overflow) {
        this(checkpoint, refuseF16Overflow, false);
    }

    public CheckpointWeights(Checkpoint checkpoint, boolean refuseF16Overflow, boolean scanned) {
        this.checkpoint = checkpoint;
        this.refuseF16Overflow = refuseF16Overflow;
        this.scanned = scanned;
    }

    @Override
    public float[] read(String name, long... shape) throws IOException {
        checkpoint.requireShape(name, shape);
        return checkpoint.readFloatsChecked(name, refuseF16Overflow); // widened and checked in one pass
    }

    @Override
    public void readInto(String name, FloatBuffer dest, long... shape) throws IOException {
        if (!scanned) {
            WeightSource.super.readInto(name, dest, shape);
            return;
        }
        checkpoint.requireShape(name, shape);
        checkpoint.readInto(name, dest);
    }

    @Override
    public String describe() {
        return checkpoint.directory().toString();
    }
}
