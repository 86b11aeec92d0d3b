package dev.routelens.embed;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import smile.manifold.TSNE;
import smile.math.MathEx;

/**
 * t-SNE of the rows of a matrix {@code [N, D]}: Smile's exact implementation for small N, our
 * {@link BarnesHutTsne} for large N (see {@link TsneMethod}).
 *
 * <p>Two guards around Smile 3.1.1's {@code smile.manifold.TSNE}:
 * <ul>
 *   <li>It reads a square input (N rows of N numbers) as a matrix of squared distances. We append a zero
 *       column to square inputs, which leaves every Euclidean distance unchanged.</li>
 *   <li>It holds three N x N double matrices. We estimate that need and refuse, with one line naming N,
 *       any N whose matrices would not fit in the free heap.</li>
 * </ul>
 * Smile draws the initial layout from {@link MathEx}'s per-thread generator; we seed it just before
 * construction, under a lock, so a seed gives the same coordinates run after run.
 */
public final class Tsne {

    /** AUTO uses Barnes-Hut above this many points. */
    public static final int AUTO_BARNES_HUT_ABOVE = 3000;
    /** Fewer points than this are refused. */
    public static final int MIN_POINTS = 4;

    private static final Object SMILE_RANDOM_LOCK = new Object();

    private Tsne() {
    }

    /** Embeds the rows of {@code x} ({@code [N, D]}) into {@code config.dims()} dimensions. */
    public static Embedding fit(double[][] x, TsneConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("t-SNE: config is null");
        }
        Matrices.requireFiniteMatrix(x, "t-SNE input", MIN_POINTS);
        TsneMethod method = resolve(config.method(), x.length);
        return method == TsneMethod.EXACT ? fitExact(x, config) : BarnesHutTsne.fit(x, config);
    }

    /** The method AUTO stands for at {@code n} points; other methods unchanged. */
    public static TsneMethod resolve(TsneMethod method, int n) {
        if (method != TsneMethod.AUTO) {
            return method;
        }
        return n > AUTO_BARNES_HUT_ABOVE ? TsneMethod.BARNES_HUT : TsneMethod.EXACT;
    }

    private static Embedding fitExact(double[][] x, TsneConfig config) {
        long started = System.nanoTime();
        int n = x.length;
        int width = x[0].length;
        requireHeap("exact t-SNE", n, exactBytesNeeded(n, width, config.dims()), availableHeapBytes());
        double perplexity = config.effectivePerplexity(n);
        double[][] input = guardSquare(x); // [N, D] or [N, D + 1]
        TSNE tsne;
        synchronized (SMILE_RANDOM_LOCK) {
            MathEx.setSeed(config.seed());
            tsne = new TSNE(input, config.dims(), perplexity, config.learningRate(), config.iterations());
        }
        double[][] coords = Matrices.copy(tsne.coordinates); // [N, dims]
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("klDivergence", BarnesHutTsne.exactKlDivergence(input, coords, perplexity));
        stats.put("smileCost", tsne.cost()); // Smile's own figure, on its own scale
        stats.put("perplexity", perplexity);
        stats.put("iterations", (double) config.iterations());
        stats.put("inputWidth", (double) width);
        stats.put("squareInputGuarded", input == x ? 0.0 : 1.0);
        stats.put("seconds", (System.nanoTime() - started) / 1e9);
        return new Embedding(coords, "t-SNE (exact, Smile)", stats);
    }

    /**
     * {@code x} unchanged unless it is square (N x N, which Smile would read as distances); then a copy
     * with a zero column appended ({@code [N, N + 1]}), which keeps all pairwise distances.
     */
    static double[][] guardSquare(double[][] x) {
        if (x.length != x[0].length) {
            return x;
        }
        double[][] widened = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            widened[i] = java.util.Arrays.copyOf(x[i], x[i].length + 1);
        }
        return widened;
    }

    /**
     * Heap Smile's exact t-SNE needs for N points of width D: the N x N squared-distance, P and Q matrices
     * (8 bytes each entry, 16 bytes per row header), plus the layout, gains and gradients. (The KL
     * divergence computed afterwards needs one N x N matrix, less than this peak.)
     */
    static long exactBytesNeeded(int n, int width, int dims) {
        long square = 3L * ((long) n * n * 8L + 16L * n);
        long guardedCopy = (long) n * (width + 1) * 8L;
        long layout = 5L * n * (dims * 8L + 16L);
        return square + guardedCopy + layout;
    }

    /** Heap this JVM can still hand out: max minus what is in use. */
    static long availableHeapBytes() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    /** Throws a one-line {@link IllegalStateException} when {@code needed > available}. */
    static void requireHeap(String what, int n, long needed, long available) {
        if (needed > available) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s of n=%d points needs about %,d MiB of heap but only %,d MiB is available; "
                            + "use fewer points%s or raise -Xmx",
                    what, n, needed >> 20, available >> 20,
                    what.startsWith("exact") ? ", the Barnes-Hut method" : ""));
        }
    }
}
