package dev.routelens.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write leaves the old file, no temporary file, and an error that names the target. */
class AtomicFilesTest {

    @Test
    void aFailureThatNamesNoPathIsNamedAndTheOldContentKept(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("out/result.csv");
        AtomicFiles.write(target, w -> w.write("old\n"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, w -> {
            w.write("new, half written");
            throw new IOException("No space left on device");
        }));
        assertEquals(target.toAbsolutePath() + ": could not write (No space left on device)", e.getMessage());
        assertEquals("old\n", Files.readString(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "the temporary file is removed");
        }
    }

    @Test
    void aFailureThatNamesItsFileIsKept(@TempDir Path dir) {
        Path target = dir.resolve("x.json");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, w -> {
            throw new java.nio.file.AccessDeniedException(dir.resolve("other").toString());
        }));
        assertTrue(e instanceof java.nio.file.AccessDeniedException, e.toString());
    }
}
