package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.model.TorchThreads;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --threads N} sets PyTorch's threads for the run, also on an engine already running, and run.json says so. */
class ThreadsOptionTest {
    @Test
    void threadsReachTheRunningEngineAndTheRecord(@TempDir Path dir) throws Exception {
        int before = TorchThreads.current();
        int asked = before == 1 ? 2 : 1;
        try {
            Path out = dir.resolve("f1");
            CliRun run = CliRun.of("figure1", "--per-class", "2", "--iterations", "50", "--threads", Integer.toString(asked),
                    "--out", out.toString());
            assertEquals(0, run.exit(), run.err());
            assertEquals(asked, TorchThreads.current(), "the engine runs with the threads asked for");
            assertEquals(asked, new ObjectMapper().readTree(out.resolve("run.json").toFile()).get("torch_threads").asInt());
        } finally {
            TorchThreads.apply(before); // later tests in this JVM compare bytes with runs at the default count
        }
    }
}
