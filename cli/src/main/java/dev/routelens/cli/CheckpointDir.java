package dev.routelens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** {@code DIR/.checkpoint}: kept for {@code --resume}, cleared when a run starts afresh. */
final class CheckpointDir {
    private CheckpointDir() {
    }

    static Path prepare(Path out, boolean resume) throws IOException {
        Path dir = out.resolve(".checkpoint");
        if (!resume && Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        Files.createDirectories(dir);
        return dir;
    }
}
