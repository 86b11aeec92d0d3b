package dev.routelens.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CLI (or another main) in a child JVM with this test's classpath, so a test can kill it with SIGKILL part-way. */
final class ChildCli {
    private ChildCli() {
    }

    /** Starts {@code routelens ARGS...}; stdout and stderr go to {@code log}. */
    static Process start(Path log, List<String> args) throws IOException {
        return start(log, Main.class, args);
    }

    /** Starts {@code main}'s class with {@code args}; stdout and stderr go to {@code log}. */
    static Process start(Path log, Class<?> main, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djava.awt.headless=true", "-Dai.djl.offline=true",
                "-Droutelens.home=" + System.getProperty("routelens.home"), main.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // The thread count this JVM runs at: a child killed part-way and its in-process resume then agree bit for bit.
        Integer threads = dev.routelens.model.TorchThreads.resolve(null);
        if (threads != null) {
            pb.environment().put(dev.routelens.model.TorchThreads.ENV, threads.toString());
        }
        return pb.start();
    }
}
