package dev.routelens.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's intra-op thread count: {@code --threads N}, else {@code ROUTELENS_THREADS}, else one thread per core
 * that the system's load leaves idle ({@link #adaptiveDefault}). PyTorch's own default, one per core, oversubscribes
 * a machine shared with other jobs: an ablation sweep took 23 minutes against 96 s idle, and a nano forward 3-10 s
 * against 0.2-0.6 s with one thread. The adaptive count is decided once per JVM, so every run in a JShell session
 * or a test JVM uses the same one; byte-identical resumes across JVMs want {@code --threads}. Set before
 * the engine starts it goes through DJL's {@code ai.djl.pytorch.num_threads}; once it runs (JShell, a second
 * command in one JVM) through {@link JniUtils#setNumThreads}. Results may differ in the last bits between
 * thread counts, as PyTorch may split reductions by thread.
 */
public final class TorchThreads {
    /** The environment variable read when no {@code --threads} is given. */
    public static final String ENV = "ROUTELENS_THREADS";

    private TorchThreads() {
    }

    /**
     * The thread count asked for: {@code requested} (from {@code --threads}), else {@link #ENV}, else
     * {@link #adaptiveDefault}. Refuses, by name, a count below 1 or an environment value that is not a number.
     */
    public static Integer resolve(Integer requested) {
        if (requested != null) {
            if (requested < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + requested);
            }
            return requested;
        }
        String env = System.getenv(ENV);
        if (env == null || env.isBlank()) {
            return adaptiveDefault();
        }
        try {
            int n = Integer.parseInt(env.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(ENV + "=" + env + ": must be a thread count >= 1");
    }

    /**
     * One thread per core that the one-minute load average leaves idle, at least one: {@code cores - round(load)}
     * clamped to [1, cores]. Idle it is PyTorch's own default; beside a job that keeps one of two cores busy it is
     * one thread (see PERFORMANCE.md). Decided on first use and kept for the JVM's life; null where the system has no
     * load average (PyTorch's default then).
     */
    public static Integer adaptiveDefault() {
        return AdaptiveDefault.VALUE;
    }

    /** The count for {@code cores} cores at {@code load}, the one-minute load average (negative: unknown, null). */
    static Integer forLoad(int cores, double load) {
        if (load < 0 || Double.isNaN(load)) {
            return null;
        }
        return (int) Math.max(1, Math.min(cores, cores - Math.round(load)));
    }

    /** Holds the JVM's adaptive count, decided when first asked for. */
    private static final class AdaptiveDefault {
        static final Integer VALUE = forLoad(Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * Sets {@code threads} (nothing changes for null), starting the engine if it has not started: call it when
     * the engine is about to be needed anyway, as before a model loads.
     */
    public static void apply(Integer threads) {
        if (threads == null) {
            return;
        }
        System.setProperty("ai.djl.pytorch.num_threads", threads.toString()); // read when the engine starts
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads); // for an engine that was already running
    }

    /** PyTorch's intra-op threads now (starts the engine). */
    public static int current() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }

    /**
     * Training's settings, set before the engine starts: {@link #ENV} or the adaptive count, and one inter-op
     * thread. On a small shared machine explicit settings were several times faster than the defaults.
     * Properties already set by the user win.
     */
    public static void configureForTraining() {
        Integer threads = resolve(null);
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads",
                    Integer.toString(threads != null ? threads : Runtime.getRuntime().availableProcessors()));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
