package dev.routelens.model.bench;

import java.util.Arrays;

/** Wall times of a benchmark's repeats, reported as their median so one disturbed run does not move it. */
final class Repeats {
    private final double[] seconds; // [runs]
    private int done;

    Repeats(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, got " + runs);
        }
        this.seconds = new double[runs];
    }

    /** Starts timing one repeat; closing the returned timer records it. */
    Timer start() {
        long begin = System.nanoTime();
        return () -> seconds[done++] = (System.nanoTime() - begin) / 1e9;
    }

    /** Seconds of the last finished repeat. */
    double last() {
        return seconds[done - 1];
    }

    /** Median of the finished repeats (the mean of the middle two for an even count). */
    double median() {
        double[] s = Arrays.copyOf(seconds, done);
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** A started repeat; {@code try (Timer t = repeats.start()) {...}}. */
    interface Timer extends AutoCloseable {
        @Override
        void close();
    }
}
