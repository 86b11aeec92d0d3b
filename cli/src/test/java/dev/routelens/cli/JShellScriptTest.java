package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's JShell examples, run non-interactively as {@code ./routelens jshell FILE} runs them. */
class JShellScriptTest {
    private static final Path HOME = Path.of(System.getProperty("routelens.home")).toAbsolutePath().normalize();

    /** Runs examples/{@code script} after the startup file, as the launcher does; returns its output. */
    static String run(Path dir, String script, String... properties) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Djava.awt.headless=true", "-Dai.djl.offline=true", "-Droutelens.home=" + HOME));
        cmd.addAll(List.of(properties));
        cmd.addAll(List.of(JShellRunner.class.getName(), HOME.resolve("cli/src/main/jshell/routelens.jsh").toString(),
                HOME.resolve("examples").resolve(script).toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile())
                .directory(dir.toFile());
        pb.environment().put("ROUTELENS_THREADS", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "jshell timed out");
        String log = Files.readString(dir.resolve("log"));
        assertEquals(0, p.exitValue(), log);
        return log;
    }

    @Test
    void figure1ScriptWritesTheCliFolder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("jshell-out");
        String log = run(dir, "figure1.jsh", "-Droutelens.out=" + out, "-Droutelens.perClass=5");
        assertTrue(log.contains("silhouette"), log);
        assertTrue(log.contains("molecules"), "the ablation prints per-class deltas: " + log);
        assertEquals(1 + 30, Files.readAllLines(out.resolve("expert_choice.csv")).size());
        assertTrue(Files.size(out.resolve("figure1.png")) > 10_000);
        for (String f : List.of("metrics.json", "run.json", "tsne.csv", "expert_choice_class_means.csv", "expert_usage.png")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
    }

    @Test
    void tokenRoutingScriptPrintsOneLinePerToken(@TempDir Path dir) throws Exception {
        String log = run(dir, "token-routing.jsh", "-Droutelens.text=Hydrogen bonds hold water together.",
                "-Droutelens.layer=2");
        Matcher m = Pattern.compile("experts \\[(\\d+), (\\d+)\\]  max logit -?\\d+\\.\\d{3}").matcher(log);
        int lines = 0;
        while (m.find()) {
            assertTrue(!m.group(1).equals(m.group(2)), "two different experts per token: " + log);
            lines++;
        }
        assertTrue(lines >= 5, "a line per token: " + log);
        assertTrue(log.contains("layers.2.moe.gate"), "the cache names what it holds: " + log);
    }

    @Test
    void interventionScriptMovesTheNll(@TempDir Path dir) throws Exception {
        String log = run(dir, "intervention.jsh");
        Matcher m = Pattern.compile("NLL base (\\d+\\.\\d+)  moe.out halved (\\d+\\.\\d+) \\(([-+]\\d+\\.\\d+)\\)"
                + "  layer 3 without expert 0 (\\d+\\.\\d+) \\(([-+]\\d+\\.\\d+)\\)").matcher(log);
        assertTrue(m.find(), log);
        double base = Double.parseDouble(m.group(1));
        assertTrue(base > 0 && Double.isFinite(base), log);
        assertTrue(Math.abs(Double.parseDouble(m.group(3))) > 1e-3, "halving every MoE output changes the NLL: " + log);
        assertTrue(Math.abs(Double.parseDouble(m.group(5))) > 0, "steering the router changes the NLL: " + log);
    }
}
