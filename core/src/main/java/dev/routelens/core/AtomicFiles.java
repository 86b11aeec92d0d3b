package dev.routelens.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that readers see either the old content or the complete new content: the bytes go
 * to a temporary file in the target's directory, which is then renamed over the target. If writing
 * fails, the target is untouched and the temporary file is removed. The bytes are forced to disk before the
 * rename and the rename after it, so a power cut leaves the old file or the new one, never an empty one (a
 * training checkpoint or a streamed layer's state is what a resume starts from). Files end up rw-r--r--.
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
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                 OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel))) {
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
                out.flush();
                channel.force(true);
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
            forceDirectory(directory);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw named(absolute, e);
        } catch (RuntimeException | Error e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** Writes {@code target} as UTF-8 {@code text}. */
    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Makes the rename durable; a file system that cannot sync a directory (not Linux) keeps the rename as it is. */
    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // syncing a directory is not possible everywhere; the file itself was forced
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
