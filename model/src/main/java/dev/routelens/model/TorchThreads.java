package dev.routelens.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's intra-op thread count: {@code --threads N}, else {@code ROUTELENS_THREADS}, else PyTorch's default
 * (one per core). On a machine shared with other jobs the default oversubscribes the cores: an ablation sweep
 * took 23 minutes against 96 s idle, and a nano forward 3-10 s against 0.2-0.6 s with one thread. Set before
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
     * The thread count asked for: {@code requested} (from {@code --threads}), else {@link #ENV}, else null for
     * PyTorch's default. Refuses, by name, a count below 1 or an environment value that is not a number.
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
            return null;
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
     * Training's settings, set before the engine starts: {@link #ENV} or one thread per core, and one inter-op
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
