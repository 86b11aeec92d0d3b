package dev.routelens.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive hold on an output folder for one run, so that two runs writing the same {@code --out} cannot
 * silently replace each other's results: the second is refused, naming the first one's process id. The
 * hold is an OS file lock on {@code .routelens.lock} in the folder, so it ends with the process even when
 * the process is killed; the file itself stays, holding the last holder's pid.
 */
public final class OutputLock implements AutoCloseable {
    /** The lock file's name inside the output folder. */
    public static final String FILE_NAME = ".routelens.lock";

    /**
     * Folders this process holds. Checked before any channel is opened: on POSIX, closing a second channel on
     * the lock file would release this process's lock on it, letting another process in.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates {@code dir} if needed and holds it, or refuses naming the run that holds it. */
    public static OutputLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path key = dir.toRealPath();
        if (!HELD.add(key)) {
            throw refusal(dir, String.valueOf(ProcessHandle.current().pid()));
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw refusal(dir, holder(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                    0);
            channel.force(false);
            return new OutputLock(key, channel, lock);
        } catch (IOException | RuntimeException | Error e) {
            HELD.remove(key);
            if (channel != null) {
                channel.close();
            }
            throw e;
        }
    }

    private static IOException refusal(Path dir, String holder) {
        return new IOException(dir + ": another RouteLens run is writing here (pid " + holder
                + "); wait for it to finish or choose another output folder");
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        channel.read(buf, 0);
        String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
        return pid.isEmpty() ? "unknown" : pid;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            HELD.remove(key);
        }
    }
}
