package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's JShell session, run non-interactively as {@code ./routelens jshell FILE} runs the example script. */
class JShellScriptTest {

    @Test
    void readmeScriptReproducesFigure1(@TempDir Path dir) throws Exception {
        Path home = Path.of(System.getProperty("routelens.home")).toAbsolutePath().normalize();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = dir.resolve("jshell-out");
        // As `./routelens jshell FILE` runs it: snippet by snippet, stopping at the first failure.
        List<String> cmd = List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Djava.awt.headless=true", "-Dai.djl.offline=true", "-Droutelens.home=" + home,
                "-Droutelens.out=" + out, "-Droutelens.perClass=5", JShellRunner.class.getName(),
                home.resolve("cli/src/main/jshell/routelens.jsh").toString(),
                home.resolve("cli/src/main/jshell/figure1-example.jsh").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile())
                .directory(dir.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "jshell timed out");
        String log = Files.readString(dir.resolve("log"));
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("silhouette"), log);
        assertTrue(log.contains("molecules"), "the ablation prints per-class deltas: " + log);
        assertEquals(1 + 30, Files.readAllLines(out.resolve("expert_choice.csv")).size());
        assertTrue(Files.size(out.resolve("figure1.png")) > 10_000);
        assertTrue(Files.exists(out.resolve("metrics.json")));
    }
}
