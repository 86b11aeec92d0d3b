package dev.routelens.model;

import java.io.IOException;

/** Where a model's weights come from: a checkpoint on disk or a seeded generator. */
public interface WeightSource {

    /**
     * Returns the tensor {@code name} widened to float32, row-major, with exactly {@code shape}.
     * Implementations refuse a missing tensor or a shape mismatch with a message naming the tensor.
     */
    float[] read(String name, long... shape) throws IOException;

    /** Human-readable origin, for run records (a directory, or "random-init seed=N"). */
    String describe();
}
