package dev.routelens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the embedded nano tokenizer and the shared corpus. */
final class TestPaths {
    private TestPaths() {
    }

    /** model/nano, seen from the module directory (surefire's working directory). */
    static Path nano() {
        Path dir = Path.of("nano");
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.model")),
                "model/nano/tokenizer.model is missing; run scripts/build-nano-tokenizer.sh");
        return dir;
    }

    /** A file of ../shared/corpus; skips when absent, fails instead when CI=true. */
    static Path corpusFile(String name) {
        Path file = Path.of("..", "..", "shared", "corpus", name);
        boolean present = Files.isRegularFile(file);
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, "shared corpus file missing on CI: " + file.toAbsolutePath().normalize());
        }
        assumeTrue(present, "skipped: shared corpus not found at " + file.toAbsolutePath().normalize());
        return file;
    }
}
