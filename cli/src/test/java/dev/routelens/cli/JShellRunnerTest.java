package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./routelens jshell FILE}: a failing snippet stops the script with exit status 1 and says which. */
class JShellRunnerTest {

    private static int run(Path script, ByteArrayOutputStream err) {
        return JShellRunner.run(List.of(script), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void anExceptionStopsTheScriptBeforeLaterLinesRun(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("later-line-ran");
        Path script = Files.writeString(dir.resolve("s.jsh"), """
                var xs = new ArrayList<Integer>();
                int total = 0;
                for (int i = 0; i < 3; i++) {
                    total += i;
                }
                Object bad = List.of(1).get(5);
                Files.writeString(Path.of("%s"), "stale: " + total);
                """.formatted(marker.toString().replace("\\", "\\\\")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, run(script, err));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("s.jsh") && message.contains("List.of(1).get(5)")
                && message.contains("IndexOutOfBoundsException"), message);
        assertFalse(Files.exists(marker), "a line after the failure ran");
    }

    @Test
    void aCompileErrorStopsTheScriptAndExitStopsItCleanly(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path broken = Files.writeString(dir.resolve("b.jsh"), "int x = 1;\nint y = x +* 2;\nint z = 3;\n");
        assertEquals(1, run(broken, err));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("does not compile"), err.toString());

        Path marker = dir.resolve("after-exit");
        Path clean = Files.writeString(dir.resolve("c.jsh"), "// a comment\nint x = 1; /* and another */\n// before exit\n/exit\nFiles.writeString(Path.of(\""
                + marker.toString().replace("\\", "\\\\") + "\"), \"x\");\n");
        assertEquals(0, run(clean, new ByteArrayOutputStream()));
        assertFalse(Files.exists(marker));

        Path command = Files.writeString(dir.resolve("d.jsh"), "int x = 1;\n/vars\n");
        err.reset();
        assertEquals(1, run(command, err));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'/vars' is not supported"), err.toString());
    }
}
