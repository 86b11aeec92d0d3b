package dev.routelens.cli;

import dev.routelens.core.OutputLock;
import java.nio.file.Path;

/** A child process for lock tests: holds the folder {@code args[0]} as a run would, until its stdin closes. */
final class HoldFolder {
    private HoldFolder() {
    }

    public static void main(String[] args) throws Exception {
        try (OutputLock lock = OutputLock.acquire(Path.of(args[0]))) {
            System.out.println("holding " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) { // the test closes stdin (or kills us) to end the hold
                Thread.onSpinWait();
            }
        }
    }
}
