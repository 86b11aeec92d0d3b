package dev.routelens.samples;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks that a sample path is a readable regular file or directory before anything opens it, and says
 * in the user's terms what it is when it is not: a named pipe (opening one for reading would wait for
 * a writer forever), a device, a socket, a broken symbolic link.
 */
final class SourcePaths {
    /** File type bits of a POSIX st_mode. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    private SourcePaths() {
    }

    /**
     * Throws {@link SampleSourceException} naming {@code path} unless it exists (following links) as a
     * regular file or a directory.
     *
     * @param what how the message names the path, e.g. "sample source"
     */
    static void requireFileOrDirectory(Path path, String what) {
        BasicFileAttributes attributes = attributes(path, what);
        if (!attributes.isRegularFile() && !attributes.isDirectory()) {
            throw new SampleSourceException(what + " " + path + " is not a regular file (" + specialKind(path) + ")");
        }
    }

    /** Throws {@link SampleSourceException} naming {@code file} unless it is a readable regular file. */
    static void requireReadableFile(Path file, String what) {
        BasicFileAttributes attributes = attributes(file, what);
        if (attributes.isDirectory()) {
            throw new SampleSourceException(what + " " + file + " is a directory, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new SampleSourceException(what + " " + file + " is not a regular file (" + specialKind(file) + ")");
        }
        if (!Files.isReadable(file)) {
            throw new SampleSourceException("cannot read " + what + " " + file + " (permission denied)");
        }
    }

    /** Whether {@code path} is neither a regular file nor a directory, nor missing. */
    static boolean isSpecial(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return !attributes.isRegularFile() && !attributes.isDirectory();
        } catch (IOException e) {
            return Files.isSymbolicLink(path); // a broken link
        }
    }

    /** What a path that is neither a regular file nor a directory is, e.g. "a named pipe". */
    static String specialKind(Path path) {
        if (!Files.exists(path) && Files.isSymbolicLink(path)) {
            return brokenLink(path);
        }
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            if (mode instanceof Integer bits) {
                switch (bits & S_IFMT) {
                    case S_IFIFO:
                        return "a named pipe; save the samples to a file and pass that";
                    case S_IFCHR:
                        return "a character device";
                    case S_IFBLK:
                        return "a block device";
                    case S_IFSOCK:
                        return "a socket";
                    default:
                        break;
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // no POSIX file modes here: fall through to the generic answer
        }
        return "a special file";
    }

    /** A message fragment for an I/O failure, without the exception's class name. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "not found";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? "input/output error" : e.getMessage();
    }

    private static BasicFileAttributes attributes(Path path, String what) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (Files.isSymbolicLink(path)) {
                throw new SampleSourceException(what + " not found: " + path + " (" + brokenLink(path) + ")", e);
            }
            throw new SampleSourceException(what + " not found: " + path, e);
        } catch (IOException e) {
            throw new SampleSourceException("cannot read " + what + " " + path + " (" + describe(e) + ")", e);
        }
    }

    private static String brokenLink(Path link) {
        try {
            return "a broken symbolic link to " + Files.readSymbolicLink(link);
        } catch (IOException e) {
            return "a broken symbolic link";
        }
    }
}
