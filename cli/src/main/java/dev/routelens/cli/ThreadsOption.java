package dev.routelens.cli;

import dev.routelens.core.UserError;
import dev.routelens.model.TorchThreads;
import picocli.CommandLine.Option;

/** {@code --threads N} for the commands without model options (train, evaluate); ModelOptions has its own. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "PyTorch threads (default: ROUTELENS_THREADS, else one per core the load average leaves idle).")
    Integer threads;

    /** The count to run at ({@link TorchThreads#resolve}); a bad one is refused by name. */
    Integer resolve() {
        try {
            return TorchThreads.resolve(threads);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
