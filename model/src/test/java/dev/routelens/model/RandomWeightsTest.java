package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class RandomWeightsTest {

    private static final int CHUNK = RandomWeights.CHUNK_ELEMENTS;
    private static final String W1 = "model.layers.3.block_sparse_moe.experts.5.w1.weight";

    /** Reads {@code name} inside a ForkJoinPool of {@code threads} workers (parallel streams run there). */
    private static float[] readIn(int threads, RandomWeights w, String name, long... shape) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(() -> w.read(name, shape)).get();
        } finally {
            pool.shutdown();
        }
    }

    private static void assertSameBits(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError("bits differ at index " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
    }

    @Test
    void readIntoPutsTheSameBitsAsReadAtTheBuffersPosition() {
        RandomWeights w = RandomWeights.of(5);
        long rows = 3, cols = CHUNK / 2 + 5; // 1.5 chunks
        java.nio.FloatBuffer dest = java.nio.ByteBuffer.allocateDirect((int) (rows * cols + 9) * 4)
                .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        dest.position(4);
        w.readInto(W1, dest, rows, cols);
        assertEquals(4 + rows * cols, dest.position(), "advanced past the tensor");
        float[] got = new float[(int) (rows * cols)];
        dest.get(4, got);
        assertSameBits(w.read(W1, rows, cols), got);
        dest.position(0);
        w.readInto("model.norm.weight", dest, 4);
        assertEquals(1f, dest.get(3));
    }

    @Test
    void sameSeedNameAndShapeGiveTheSameBitsWhateverTheParallelism() throws Exception {
        RandomWeights w = RandomWeights.of(20240927);
        long rows = 7, cols = CHUNK / 2 + 3; // 3.5 chunks, the last one partial
        float[] common = w.read(W1, rows, cols);
        assertSameBits(common, w.read(W1, rows, cols));
        assertSameBits(common, readIn(1, w, W1, rows, cols));
        assertSameBits(common, readIn(3, w, W1, rows, cols));
        assertSameBits(common, new RandomWeights(20240927, 0.02).read(W1, rows, cols));
    }

    @Test
    void aChunkDependsOnlyOnItsIndexNotOnTheTensorLength() {
        RandomWeights w = new RandomWeights(11, 1.0);
        float[] longer = w.read(W1, 2L * CHUNK + 17);
        float[] shorter = w.read(W1, 5, CHUNK / 5 + 1); // one chunk and a little of the next
        assertSameBits(shorter, Arrays.copyOf(longer, shorter.length));
    }

    @Test
    void seedsAndNamesGiveDifferentValues() {
        float[] a = RandomWeights.of(5).read(W1, 64, 64);
        float[] otherSeed = RandomWeights.of(6).read(W1, 64, 64);
        float[] otherName = RandomWeights.of(5).read(W1.replace("w1", "w3"), 64, 64);
        float[] otherLayer = RandomWeights.of(5).read(W1.replace("layers.3", "layers.4"), 64, 64);
        for (float[] other : new float[][] {otherSeed, otherName, otherLayer}) {
            int equal = 0;
            for (int i = 0; i < a.length; i++) {
                equal += a[i] == other[i] ? 1 : 0;
            }
            assertTrue(equal < 5, equal + " of " + a.length + " positions coincide");
        }
    }

    @Test
    void valuesAreGaussianWithTheGivenStd() {
        float[] z = new RandomWeights(42, 1.0).read(W1, 1000, 1000); // 1M samples, one chunk boundary inside
        int n = z.length;
        double sum = 0, sum2 = 0, sum4 = 0, lag1 = 0;
        int within1 = 0, beyond4 = 0;
        for (int i = 0; i < n; i++) {
            double v = z[i];
            sum += v;
            sum2 += v * v;
            sum4 += v * v * v * v;
            within1 += Math.abs(v) < 1 ? 1 : 0;
            beyond4 += Math.abs(v) > 4 ? 1 : 0;
            if (i > 0) {
                lag1 += v * z[i - 1];
            }
        }
        double mean = sum / n;
        double var = sum2 / n - mean * mean;
        // Tolerances are 5 standard errors for n = 1M: mean 1/sqrt(n), std 1/sqrt(2n), kurtosis sqrt(24/n).
        assertEquals(0, mean, 5e-3, "mean");
        assertEquals(1, Math.sqrt(var), 3.6e-3, "std");
        assertEquals(3, sum4 / n / (var * var), 0.025, "kurtosis");
        assertEquals(0, lag1 / (n - 1), 5e-3, "lag-1 correlation");
        assertEquals(0.682689, within1 / (double) n, 2.4e-3, "share within one std");
        // P(|z| > 4) = 6.33e-5: 63 expected, Poisson sd 8; this sees the ziggurat's tail working
        assertTrue(beyond4 > 30 && beyond4 < 100, beyond4 + " values beyond 4 std");

        float[] w = new RandomWeights(42, 0.02).read(W1, 1000, 1000);
        double s2 = 0;
        for (float v : w) {
            s2 += (double) v * v;
        }
        assertEquals(0.02, Math.sqrt(s2 / n), 0.02 * 3.6e-3, "std 0.02");
    }

    @Test
    void chunksAreSeparateStreams() {
        float[] z = new RandomWeights(3, 1.0).read(W1, 2L * CHUNK);
        float[] chunk0 = Arrays.copyOfRange(z, 0, CHUNK);
        float[] chunk1 = Arrays.copyOfRange(z, CHUNK, 2 * CHUNK);
        // No run of 4 consecutive values of one chunk occurs anywhere in the other (a repeated or shifted
        // stream would show up as such runs).
        assertEquals(0, sharedRuns(chunk0, chunk1, 4), "runs of chunk 1 found in chunk 0");
        assertEquals(0, sharedRuns(chunk1, chunk0, 4), "runs of chunk 0 found in chunk 1");
        // Both sides of the edge are standard normal on their own.
        for (float[] chunk : new float[][] {chunk0, chunk1}) {
            double s = 0, s2 = 0;
            for (float v : chunk) {
                s += v;
                s2 += (double) v * v;
            }
            assertEquals(0, s / CHUNK, 5e-3);
            assertEquals(1, Math.sqrt(s2 / CHUNK), 3.6e-3);
        }
    }

    /** How many windows of {@code len} consecutive values of {@code probe} occur in {@code haystack}. */
    private static int sharedRuns(float[] haystack, float[] probe, int len) {
        Map<Integer, Integer> firstAt = new HashMap<>(); // bits of a value -> one index holding it
        for (int i = 0; i + len <= haystack.length; i++) {
            firstAt.putIfAbsent(Float.floatToRawIntBits(haystack[i]), i);
        }
        int found = 0;
        for (int i = 0; i + len <= probe.length; i++) {
            Integer at = firstAt.get(Float.floatToRawIntBits(probe[i]));
            if (at != null && Arrays.equals(probe, i, i + len, haystack, at, at + len)) {
                found++;
            }
        }
        return found;
    }

    @Test
    void normWeightsAreExactlyOne() {
        for (String name : new String[] {"model.norm.weight", "model.layers.0.input_layernorm.weight",
            "model.layers.25.post_attention_layernorm.weight"}) {
            float[] v = RandomWeights.of(1).read(name, 3200);
            for (float x : v) {
                assertEquals(Float.floatToRawIntBits(1f), Float.floatToRawIntBits(x), name);
            }
        }
    }

    /**
     * A few values pinned, so that a change of the chunking, the seed mixing or commons-rng's streams
     * (an upgrade) is seen: weights made from a seed would otherwise silently change.
     */
    @Test
    void pinnedValues() {
        float[] z = new RandomWeights(20240927, 1.0).read(W1, CHUNK + 2);
        int[] got = {Float.floatToRawIntBits(z[0]), Float.floatToRawIntBits(z[1]),
            Float.floatToRawIntBits(z[CHUNK - 1]), Float.floatToRawIntBits(z[CHUNK]), Float.floatToRawIntBits(z[CHUNK + 1])};
        int[] expected = {0x3a9a5d0d, 0x3fa99551, 0xbed1820c, 0xbf9a53bb, 0x3f39653b};
        assertArrayEquals(expected, got, () -> "got " + Arrays.toString(Arrays.stream(got)
                .mapToObj(b -> String.format("0x%08x", b)).toArray()));
    }

    @Test
    void refusesBadStdAndOversizedTensors() {
        assertThrows(IllegalArgumentException.class, () -> new RandomWeights(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RandomWeights(1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new RandomWeights(1, Double.POSITIVE_INFINITY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RandomWeights.of(1).read("lm_head.weight", 1L << 20, 1L << 12));
        assertTrue(e.getMessage().contains("lm_head.weight"), e.getMessage());
        assertFalse(RandomWeights.of(1).describe().isEmpty());
    }
}
