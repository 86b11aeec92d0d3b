package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.model.TorchThreads;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume without --threads runs at the thread count the interrupted run recorded, not at this JVM's adaptive
 * default: sums may differ in the last bits between counts, and a resume continues the same sums.
 */
class ResumeThreadsTest {
    @Test
    void aResumeKeepsTheRecordedThreads(@TempDir Path dir) throws Exception {
        int before = TorchThreads.current();
        Integer fallback = TorchThreads.resolve(null);
        int recorded = fallback != null && fallback == 1 ? 2 : 1; // differs from what this JVM would choose
        try {
            Path out = dir.resolve("stats");
            CliRun first = CliRun.of("stats", "--per-class", "2", "--labels", "physics,molecules", "--threads",
                    Integer.toString(recorded), "--keep-checkpoint", "--out", out.toString());
            assertEquals(0, first.exit(), first.err());
            CliRun resumed = CliRun.of("stats", "--per-class", "2", "--labels", "physics,molecules", "--resume",
                    out.toString(), "--keep-checkpoint");
            assertEquals(0, resumed.exit(), resumed.err());
            assertEquals(recorded, new ObjectMapper().readTree(out.resolve("run.json").toFile()).get("torch_threads").asInt());
            CliRun asked = CliRun.of("stats", "--per-class", "2", "--labels", "physics,molecules", "--resume",
                    out.toString(), "--threads", Integer.toString(3 - recorded), "--keep-checkpoint");
            assertEquals(0, asked.exit(), asked.err());
            assertEquals(3 - recorded, new ObjectMapper().readTree(out.resolve("run.json").toFile()).get("torch_threads")
                    .asInt(), "--threads on the resume wins");
        } finally {
            TorchThreads.apply(before);
        }
    }
}
