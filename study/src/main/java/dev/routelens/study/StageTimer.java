package dev.routelens.study;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time per named stage, for run records; {@code try (var s = timer.stage("tsne")) {...}}. */
public final class StageTimer {
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final long start = System.nanoTime();

    /** A stage that is timed until it closes. */
    public interface Stage extends AutoCloseable {
        @Override
        void close();
    }

    public Stage stage(String name) {
        long start = System.nanoTime();
        return () -> seconds.merge(name, (System.nanoTime() - start) / 1e9, Double::sum);
    }

    public Map<String, Double> seconds() {
        return seconds;
    }

    /** Seconds since this timer was made: the run's wall time. */
    public double wallSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
