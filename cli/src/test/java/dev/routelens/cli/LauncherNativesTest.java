package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script rebuilds with the natives of the last build: a copy of {@code routelens} runs in a bare
 * tree with stand-ins for {@code mvn} (which logs its arguments and writes what the cli build writes) and
 * {@code java} (which logs its arguments), so no GPU, Maven or build is needed.
 */
class LauncherNativesTest {
    @TempDir
    Path root;
    Path bin;

    @BeforeEach
    void tree() throws IOException {
        Path home = Path.of(System.getProperty("routelens.home", ".."));
        Files.copy(home.resolve("routelens"), root.resolve("routelens"));
        Files.createDirectories(root.resolve("cli/target"));
        Files.createDirectories(root.resolve("cli/src/main/java"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.writeString(root.resolve("cli/src/main/java/A.java"), "class A {}");
        bin = Files.createDirectories(root.resolve("bin"));
        script(bin.resolve("mvn"), """
                #!/usr/bin/env bash
                echo "$*" >>"$PWD/mvn.log"
                natives=cpu
                for a in "$@"; do [[ "$a" == -Pcuda ]] && natives=cuda; done
                echo "$PWD/cli/target/cli.jar:/m2/pytorch-native-$natives.jar" >cli/target/classpath.txt
                echo "$natives" >cli/target/natives.txt
                """);
        script(bin.resolve("java"), "#!/usr/bin/env bash\necho \"$*\" >>\"$(dirname \"$0\")/../java.log\"\n");
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs the launcher; returns the mvn command lines it ran (empty: no build). */
    private List<String> launch(Map<String, String> env, String... args) throws Exception {
        Files.deleteIfExists(root.resolve("mvn.log"));
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("routelens").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("ROUTELENS_NATIVES");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        Path log = root.resolve("mvn.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Makes the source newer than the last build, as an edit would. */
    private void editSource() throws IOException {
        FileTime built = Files.getLastModifiedTime(root.resolve("cli/target/classpath.txt"));
        Files.setLastModifiedTime(root.resolve("cli/src/main/java/A.java"), FileTime.fromMillis(built.toMillis() + 5000));
    }

    @Test
    void aCudaBuildIsRebuiltWithTheCudaProfileAfterASourceChange() throws Exception {
        List<String> first = launch(Map.of(), "--help");
        assertEquals(1, first.size(), "the first run builds");
        assertFalse(first.get(0).contains("-Pcuda"), "with the CPU natives by default: " + first);
        assertEquals(List.of(), launch(Map.of(), "--help"), "nothing changed, no build");

        launch(Map.of("ROUTELENS_NATIVES", "cuda"), "--help"); // as `mvn -Pcuda package` would leave it
        assertEquals("cuda", Files.readString(root.resolve("cli/target/natives.txt")).strip());
        editSource();
        List<String> rebuilt = launch(Map.of(), "--help");
        assertEquals(1, rebuilt.size());
        assertTrue(rebuilt.get(0).contains("-Pcuda"), "a source change keeps the cuda natives: " + rebuilt);
    }

    @Test
    void aBuildFromBeforeTheRecordIsKnownByItsClasspath() throws Exception {
        Files.writeString(root.resolve("cli/target/classpath.txt"), "/m2/pytorch-native-cu124-2.5.1-linux-x86_64.jar");
        editSource();
        List<String> rebuilt = launch(Map.of(), "--help");
        assertTrue(rebuilt.size() == 1 && rebuilt.get(0).contains("-Pcuda"), rebuilt.toString());
    }

    @Test
    void routelensNativesSwitchesEvenWithoutASourceChange() throws Exception {
        launch(Map.of("ROUTELENS_NATIVES", "cuda"), "--help");
        List<String> back = launch(Map.of("ROUTELENS_NATIVES", "cpu"), "--help");
        assertTrue(back.size() == 1 && !back.get(0).contains("-Pcuda"), back.toString());
        assertEquals(List.of(), launch(Map.of(), "--help"), "and stays there");
    }

    @Test
    void jshellScriptsTakeDashRPropertiesAndHelpNeedsNoBuild() throws Exception {
        launch(Map.of(), "--help");
        Files.writeString(root.resolve("a.jsh"), "1 + 1\n");
        launch(Map.of(), "jshell", "-R-Droutelens.perClass=10", "a.jsh");
        String java = Files.readAllLines(root.resolve("java.log")).get(1);
        assertTrue(java.contains("-Droutelens.perClass=10 -cp") && java.contains("dev.routelens.cli.JShellRunner")
                && java.endsWith("routelens.jsh a.jsh"), java);

        Files.delete(root.resolve("cli/target/classpath.txt"));
        Process p = new ProcessBuilder("bash", root.resolve("routelens").toString(), "jshell", "--help")
                .directory(root.toFile()).start();
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertTrue(help.contains("-R-Droutelens.perClass=10") && help.contains("examples/figure1.jsh"), help);
        assertFalse(Files.exists(root.resolve("mvn.log")), "help built nothing");
    }
}
