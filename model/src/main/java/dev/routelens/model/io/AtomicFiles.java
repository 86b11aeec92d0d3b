package dev.routelens.model.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that readers see either the old content or the complete new content: the bytes go
 * to a temporary file in the target's directory, which is then renamed over the target. If writing
 * fails, the target is untouched and the temporary file is removed. Files end up rw-r--r--.
 */
public final class AtomicFiles {

    /** Produces the content; may throw {@link IOException}. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T value) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} as UTF-8 text produced by {@code body}; parent directories are created. */
    public static void write(Path target, IOConsumer<Writer> body) throws IOException {
        writeBytes(target, out -> {
            Writer writer = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
            body.accept(new java.io.FilterWriter(writer) {
                @Override
                public void close() throws IOException {
                    flush(); // a body that closes its writer (a CSV printer, Jackson) must not end the file early
                }
            });
            writer.flush();
        });
    }

    /** Writes {@code target} as bytes produced by {@code body}; parent directories are created. */
    public static void writeBytes(Path target, IOConsumer<OutputStream> body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temporary))) {
                body.accept(new java.io.FilterOutputStream(out) {
                    @Override
                    public void close() throws IOException {
                        flush(); // a body that closes its stream must not close ours before the move
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }
                });
            }
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw named(absolute, e);
        } catch (RuntimeException | Error e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** {@code e} itself when its message names {@code target}'s folder, else one that does (a full disk names nothing). */
    private static IOException named(Path target, IOException e) {
        String message = e.getMessage();
        if (message != null && message.contains(target.getParent().toString())) {
            return e;
        }
        String reason = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        return new IOException(target + ": could not write (" + reason + ")", e);
    }
}
