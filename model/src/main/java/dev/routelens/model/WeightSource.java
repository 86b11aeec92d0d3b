package dev.routelens.model;

import java.io.IOException;
import java.nio.FloatBuffer;

/** Where a model's weights come from: a checkpoint on disk or a seeded generator. */
public interface WeightSource {

    /**
     * Returns the tensor {@code name} widened to float32, row-major, with exactly {@code shape}.
     * Implementations refuse a missing tensor or a shape mismatch with a message naming the tensor.
     */
    float[] read(String name, long... shape) throws IOException;

    /**
     * Puts the same values as {@link #read} into {@code dest} from its position on, advancing it. Sources
     * that can write in place override this, so a model build needs no Java array per tensor.
     */
    default void readInto(String name, FloatBuffer dest, long... shape) throws IOException {
        dest.put(read(name, shape));
    }

    /** Human-readable origin, for run records (a directory, or "random-init seed=N"). */
    String describe();
}
