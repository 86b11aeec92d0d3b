package dev.routelens.train;

/**
 * Pins PyTorch's thread pools before the engine starts: intra-op threads from {@code ROUTELENS_THREADS}
 * (default: available processors), one inter-op thread. On a small shared machine explicit settings
 * were several times faster than the defaults. Properties already set by the user win.
 */
final class TorchThreads {
    private TorchThreads() {
    }

    static void configure() {
        String threads = System.getenv("ROUTELENS_THREADS");
        if (threads == null || threads.isBlank()) {
            threads = Integer.toString(Runtime.getRuntime().availableProcessors());
        }
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.strip());
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
