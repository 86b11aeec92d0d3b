package dev.routelens.routing;

import dev.routelens.core.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Snapshots of a long computation's accumulated state, so that {@code --resume} loses no finished
 * work. Written atomically; read back through a filter that admits only plain collections, arrays,
 * boxed numbers, strings and RouteLens's own accumulator classes, never arbitrary classes.
 */
public final class Snapshots {
    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(
            "maxdepth=20;maxrefs=10000000;java.lang.*;java.util.*;dev.routelens.routing.*;!*");

    /**
     * A snapshot: the run it belongs to, how far it got, and its state.
     *
     * @param fingerprint digest of the model and inputs
     * @param batchesDone units finished, as the computation counts them: batches, layers, or (batch, ablation)
     *                    runs flattened batch-major
     * @param state accumulated results
     */
    public record Snapshot(String fingerprint, boolean[] batchesDone, Serializable state) implements Serializable {
    }

    private Snapshots() {
    }

    /** Writes {@code snapshot} to {@code file} via a temp file and an atomic rename. */
    public static void save(Path file, Snapshot snapshot) throws IOException {
        AtomicFiles.writeBytes(file, out -> {
            ObjectOutputStream oos = new ObjectOutputStream(out);
            oos.writeObject(snapshot);
            oos.flush();
        });
    }

    /**
     * Reads the snapshot in {@code file}, if any. A snapshot of another run (other model or inputs)
     * is an error naming the file; an unreadable one too.
     */
    public static Optional<Snapshot> load(Path file, String fingerprint) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Object o;
        try (InputStream in = Files.newInputStream(file); ObjectInputStream ois = new ObjectInputStream(in)) {
            ois.setObjectInputFilter(FILTER);
            o = ois.readObject();
        } catch (ClassNotFoundException | IOException | RuntimeException e) {
            throw new IOException(file + ": unreadable checkpoint (" + e.getMessage() + "); remove it to start over", e);
        }
        if (!(o instanceof Snapshot s)) {
            throw new IOException(file + ": not a RouteLens checkpoint");
        }
        if (!fingerprint.equals(s.fingerprint())) {
            throw new IllegalArgumentException(file + ": checkpoint is from a different model or input; "
                    + "remove it or choose another output directory");
        }
        return Optional.of(s);
    }
}
