package dev.routelens.viz.html;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium for the page tests, offline (every host name fails to resolve), with a fresh profile per
 * call. Without a chromium binary the tests are skipped with the reason, except under CI, where they fail:
 * CI installs chromium, and a green run must mean the pages were opened.
 */
public final class Chromium {
    private final Path binary;
    private final Path scratch;

    private Chromium(Path binary, Path scratch) {
        this.binary = binary;
        this.scratch = scratch;
    }

    /** The browser on PATH; skips (or under CI fails) when there is none. */
    public static Chromium require(Path scratch) {
        Optional<Path> found = Stream.of("chromium", "chromium-browser", "google-chrome")
                .flatMap(name -> Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
        String reason = "no chromium on PATH: the HTML views are not opened in a browser (install it: apt-get install -y chromium)";
        if (found.isEmpty() && System.getenv("CI") != null) {
            fail(reason + "; CI must have it (.ci/run installs it)");
        }
        Assumptions.assumeTrue(found.isPresent(), reason);
        return new Chromium(found.get(), scratch);
    }

    /** What one run printed: the DOM (for --dump-dom) on stdout and Chromium's log, console included, on stderr. */
    public record Run(String stdout, String stderr) {
        /**
         * Every line the page's console printed, uncaught errors included. Chromium logs console.error, warn
         * and log alike (as INFO:CONSOLE), and the pages log nothing, so any line is a fault.
         */
        public List<String> consoleErrors() {
            return stderr.lines().filter(l -> l.contains(":CONSOLE")).toList();
        }
    }

    /** A screenshot of {@code page} at {@code width} x {@code height}. */
    public Run screenshot(Path page, Path png, int width, int height) throws Exception {
        return run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                page.toUri().toString()));
    }

    /** The DOM of {@code page}{@code fragment} once it has loaded and run for a moment of virtual time. */
    public Run dumpDom(Path page, String fragment, int width, int height) throws Exception {
        return run(List.of("--dump-dom", "--virtual-time-budget=5000", "--window-size=" + width + "," + height,
                page.toUri() + fragment));
    }

    private Run run(List<String> args) throws Exception {
        Path profile = Files.createTempDirectory(scratch, "chromium");
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + profile));
        cmd.addAll(args);
        Path out = scratch.resolve(profile.getFileName() + ".out");
        Path err = scratch.resolve(profile.getFileName() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + cmd);
        }
        return new Run(Files.readString(out, StandardCharsets.UTF_8), read(err));
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
