package dev.routelens.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per output folder: a second is refused naming the holder's pid, and the hold ends with the first. */
class OutputLockTest {

    @Test
    void aSecondHolderIsRefusedUntilTheFirstCloses(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        try (OutputLock first = OutputLock.acquire(out)) {
            IOException e = assertThrows(IOException.class, () -> OutputLock.acquire(out));
            assertEquals(out + ": another RouteLens run is writing here (pid " + ProcessHandle.current().pid()
                    + "); wait for it to finish or choose another output folder", e.getMessage());
        }
        try (OutputLock again = OutputLock.acquire(out)) {
            assertEquals(String.valueOf(ProcessHandle.current().pid()),
                    Files.readString(out.resolve(OutputLock.FILE_NAME)).strip());
        }
    }
}
