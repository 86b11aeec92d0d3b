package dev.routelens.model;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Seeded random weights for any Mixtral-layout config, independent of the engine, the device, the
 * load order and the number of threads. Norm weights are exactly 1; every other tensor is N(0, std^2).
 *
 * <p>A tensor is cut into chunks of {@link #CHUNK_ELEMENTS} row-major elements. Chunk {@code c} of
 * tensor {@code name} draws from its own xoroshiro128++ stream whose 128-bit state is mixed from
 * (seed, name, c), so chunks fill in parallel and the same (seed, name, shape) always gives the same
 * bits; a longer tensor of the same name shares the shorter one's prefix.
 *
 * <p>Why Apache Commons RNG rather than hand-written sampling: its ziggurat
 * ({@link ZigguratSampler.NormalizedGaussian}, McFarland's modified ziggurat) is a reviewed and tested
 * exact Gaussian sampler, and over xoroshiro128++ it is several times faster per thread than the
 * per-element Box-Muller with StrictMath used before. One SciDFM layer (704M values) took 33 s that way
 * on two cores and takes about 2.3 s now ({@code bench.RandomInitBenchmark}). 98.8% of samples are a
 * table constant times a 64-bit integer; Math.exp only decides the accept/reject tests at the
 * ziggurat's edges, so a platform's last-ulp difference in exp could change a value only when a
 * deviate lands within an ulp of the curve, a chance of order 2^-50 per test. The bits are pinned to
 * commons-rng 1.6 (RandomWeightsTest holds a few); check them again when upgrading it.
 *
 * @param seed user seed
 * @param std standard deviation of the matrices (HF's initializer_range, 0.02)
 */
public record RandomWeights(long seed, double std) implements WeightSource {

    /** Elements per independently seeded chunk (1M): the unit of parallel work. */
    static final int CHUNK_ELEMENTS = 1 << 20;

    /** SplitMix64's increment, the golden ratio in 64 bits. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

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
        float[] out = new float[(int) count]; // shape, flattened row-major
        if (name.endsWith("norm.weight")) {
            Arrays.fill(out, 1f);
            return out;
        }
        long nameHash = mix64(fnv1a64(name));
        int chunks = (int) ((count + CHUNK_ELEMENTS - 1) / CHUNK_ELEMENTS);
        if (chunks <= 1) {
            fillChunk(out, nameHash, 0);
        } else {
            IntStream.range(0, chunks).parallel().forEach(c -> fillChunk(out, nameHash, c));
        }
        return out;
    }

    /** As {@link #read}, generating chunk by chunk straight into {@code dest}: no array of the whole tensor. */
    @Override
    public void readInto(String name, FloatBuffer dest, long... shape) {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        if (count > dest.remaining()) {
            throw new IllegalArgumentException(name + ": " + count + " values but " + dest.remaining() + " places");
        }
        int base = dest.position();
        int n = (int) count;
        if (name.endsWith("norm.weight")) {
            for (int i = 0; i < n; i++) {
                dest.put(base + i, 1f);
            }
        } else {
            long nameHash = mix64(fnv1a64(name));
            int chunks = (n + CHUNK_ELEMENTS - 1) / CHUNK_ELEMENTS;
            IntStream.range(0, chunks).parallel().forEach(c -> {
                float[] part = new float[Math.min(CHUNK_ELEMENTS, n - c * CHUNK_ELEMENTS)]; // [chunk]
                fillChunk(part, nameHash, c, c * CHUNK_ELEMENTS);
                dest.put(base + c * CHUNK_ELEMENTS, part, 0, part.length);
            });
        }
        dest.position(base + n);
    }

    @Override
    public String describe() {
        return "random-init seed=" + seed + " std=" + std;
    }

    /** Fills elements [c * CHUNK, min((c + 1) * CHUNK, length)) of {@code out} from chunk c's own stream. */
    private void fillChunk(float[] out, long nameHash, int chunk) {
        fillChunk(out, nameHash, chunk, 0);
    }

    /**
     * Draws chunk {@code chunk}'s values, element {@code start} of the tensor at {@code out[start - offset]}
     * onwards: offset 0 fills a whole-tensor array, offset {@code start} a chunk-sized one.
     */
    private void fillChunk(float[] out, long nameHash, int chunk, int offset) {
        ZigguratSampler.NormalizedGaussian gaussian = ZigguratSampler.NormalizedGaussian.of(stream(nameHash, chunk));
        int from = chunk * CHUNK_ELEMENTS - offset;
        int to = Math.min(out.length, from + CHUNK_ELEMENTS);
        double s = std;
        for (int i = from; i < to; i++) {
            out[i] = (float) (gaussian.sample() * s);
        }
    }

    /**
     * The generator of one chunk: xoroshiro128++ with the two state words taken from a SplitMix64
     * sequence started at mix(seed, name, chunk). The native seed is passed as is, so the bits do not
     * depend on how commons-rng expands short seeds.
     */
    private UniformRandomProvider stream(long nameHash, int chunk) {
        long h = mix64(seed + GOLDEN_GAMMA);
        h = mix64(h ^ nameHash);
        h = mix64(h + GOLDEN_GAMMA * (chunk + 1L));
        long[] state = {mix64(h + GOLDEN_GAMMA), mix64(h + 2 * GOLDEN_GAMMA)};
        return RandomSource.XO_RO_SHI_RO_128_PP.create(state);
    }

    /** SplitMix64's finaliser (Stafford's variant 13): every input bit affects every output bit. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
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
