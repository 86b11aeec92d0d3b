package dev.routelens.model;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeded random weights for any Mixtral-layout config, independent of the engine and device:
 * the same seed gives the same bits everywhere. Norm weights are 1; every other tensor is
 * N(0, std^2) from a generator seeded by (seed, tensor name), so tensors do not depend on load order.
 *
 * @param seed user seed
 * @param std standard deviation of the matrices (HF's initializer_range, 0.02)
 */
public record RandomWeights(long seed, double std) implements WeightSource {

    public RandomWeights {
        if (!(std > 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("std must be positive, got " + std);
        }
    }

    /** HF's default initializer range. */
    public static RandomWeights of(long seed) {
        return new RandomWeights(seed, 0.02);
    }

    @Override
    public float[] read(String name, long... shape) {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": " + count + " elements is too many for one array");
        }
        float[] out = new float[(int) count];
        if (name.endsWith("norm.weight")) {
            java.util.Arrays.fill(out, 1f);
            return out;
        }
        SplittableRandom rng = new SplittableRandom(seed ^ fnv1a64(name));
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (gaussian(rng) * std);
        }
        return out;
    }

    @Override
    public String describe() {
        return "random-init seed=" + seed + " std=" + std;
    }

    /** Box-Muller from one uniform pair; portable and bit-reproducible (StrictMath). */
    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    private static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
