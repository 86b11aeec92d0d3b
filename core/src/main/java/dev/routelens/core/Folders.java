package dev.routelens.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removing a folder's files: the JDK has no recursive delete, and Commons IO would be a new dependency for
 * these few lines. Deepest paths go first, so every folder is empty when its turn comes.
 */
public final class Folders {
    private Folders() {
    }

    /** Deletes {@code dir} and everything under it; nothing happens when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        delete(dir, true);
    }

    /** Deletes everything under {@code dir} but keeps the folder; nothing happens when it does not exist. */
    public static void clear(Path dir) throws IOException {
        delete(dir, false);
    }

    private static void delete(Path dir, boolean withRoot) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (withRoot || !p.equals(dir)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
