package dev.routelens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** {@code DIR/.checkpoint}: kept for {@code --resume}, cleared when a run starts afresh. */
final class CheckpointDir {
    private CheckpointDir() {
    }

    /** The run's output directory from {@code --out DIR} or {@code --resume DIR} (exactly one), created. */
    static Path outputDir(String command, Path out, Path resume) throws IOException {
        if ((out == null) == (resume == null)) {
            throw new UserError(command + " needs exactly one of --out DIR and --resume DIR");
        }
        if (resume != null && !Files.isDirectory(resume)) {
            throw new UserError("--resume " + resume + ": no such directory");
        }
        Path dir = resume != null ? resume : out;
        Files.createDirectories(dir);
        return dir;
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
