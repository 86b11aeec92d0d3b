package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

/** The one-line error always says what is wrong with a file, not only its path. */
class MainMessagesTest {

    @Test
    void fileSystemErrorsSayWhatIsWrong() {
        assertEquals("/a/out: already exists", Main.oneLine(new FileAlreadyExistsException("/a/out")));
        assertEquals("/a/out: not a directory", Main.oneLine(new NotDirectoryException("/a/out")));
        assertEquals("/a/in.csv: no such file", Main.oneLine(new NoSuchFileException("/a/in.csv")));
        assertEquals("/a/x: No space left on device",
                Main.oneLine(new FileSystemException("/a/x", null, "No space left on device")));
        assertEquals("/a/x: already exists",
                Main.oneLine(new UncheckedIOException(null, new FileAlreadyExistsException("/a/x"))));
        assertEquals("plain reason", Main.oneLine(new IOException("plain reason\nsecond line")));
    }
}
