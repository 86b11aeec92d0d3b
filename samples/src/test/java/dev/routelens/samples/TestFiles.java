package dev.routelens.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Helpers shared by the tests: writing sample files and finding the shared corpus. */
final class TestFiles {
    private TestFiles() {
    }

    static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** Concatenates UTF-8 text and raw byte arrays into one file. */
    static Path writeMixed(Path file, Object... parts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Object part : parts) {
            bytes.write(part instanceof byte[] raw ? raw : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes.toByteArray());
    }

    /** The one error at {@code line}; fails when there is none or several. */
    static SampleError errorAt(SampleSet set, String file, long line) {
        List<SampleError> found = set.errors().stream()
                .filter(error -> error.line() == line && error.file().equals(file)).toList();
        assertEquals(1, found.size(), "errors at " + file + ":" + line + " in " + set.errors());
        return found.get(0);
    }

    static void assertReason(SampleError error, String expectedPart) {
        assertTrue(error.reason().contains(expectedPart), "reason '" + error.reason() + "' lacks '" + expectedPart + "'");
    }

    static List<String> ids(SampleSet set) {
        return set.samples().stream().map(Sample::id).toList();
    }

    /** The shared corpus; skips the test when it is absent, unless CI=true, where it fails. */
    static Path corpusOrSkip() {
        Optional<Path> located = SharedCorpus.locate();
        Optional<Path> dir = located.filter(Files::isDirectory);
        if (dir.isEmpty()) {
            String message = located.isPresent()
                    ? "shared corpus not found at " + located.get() + " (from -D" + SharedCorpus.PROPERTY + " or "
                            + SharedCorpus.ENV + ")"
                    : "shared corpus not found (looked for shared/corpus above " + Path.of("").toAbsolutePath()
                            + "; set -D" + SharedCorpus.PROPERTY + " or " + SharedCorpus.ENV + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " and CI=true requires it");
            }
            Assumptions.abort(message + ": skipping");
        }
        return dir.get();
    }
}
