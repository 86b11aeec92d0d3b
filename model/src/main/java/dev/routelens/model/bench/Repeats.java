package dev.routelens.model.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Wall times of a benchmark's repeats, reported as their median so one disturbed run does not move it.
 * {@link #interleaved} times several variants in turn, so a shared machine's slow drift hits each alike.
 */
public final class Repeats {
    private final double[] seconds; // [runs]
    private int done;

    public Repeats(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, got " + runs);
        }
        this.seconds = new double[runs];
    }

    /**
     * Runs every variant once untimed (warm-up), then {@code runs} rounds of all of them in turn; one
     * {@code Repeats} per variant, in order. {@code progress} gets the count of runs done, warm-up included,
     * after each ({@code (runs + 1) * variants.size()} in all).
     */
    public static List<Repeats> interleaved(int runs, List<Runnable> variants, LongConsumer progress) {
        List<Repeats> out = new ArrayList<>();
        long count = 0;
        for (Runnable v : variants) {
            v.run();
            progress.accept(++count);
            out.add(new Repeats(runs));
        }
        for (int r = 0; r < runs; r++) {
            for (int v = 0; v < variants.size(); v++) {
                try (Timer t = out.get(v).start()) {
                    variants.get(v).run();
                }
                progress.accept(++count);
            }
        }
        return out;
    }

    /** Seconds {@code r} takes to run once. */
    public static double time(Runnable r) {
        long begin = System.nanoTime();
        r.run();
        return (System.nanoTime() - begin) / 1e9;
    }

    /** Starts timing one repeat; closing the returned timer records it. */
    public Timer start() {
        long begin = System.nanoTime();
        return () -> seconds[done++] = (System.nanoTime() - begin) / 1e9;
    }

    /** Seconds of the last finished repeat. */
    public double last() {
        return seconds[done - 1];
    }

    /** Seconds of the finished repeats, in the order they ran. // [done] */
    public double[] seconds() {
        return Arrays.copyOf(seconds, done);
    }

    /** Median of the finished repeats (the mean of the middle two for an even count). */
    public double median() {
        return median(seconds());
    }

    /** Median of {@code values} (the mean of the middle two for an even count); NaN when empty. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** A started repeat; {@code try (Timer t = repeats.start()) {...}}. */
    public interface Timer extends AutoCloseable {
        @Override
        void close();
    }
}
