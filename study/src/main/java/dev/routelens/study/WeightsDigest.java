package dev.routelens.study;

import dev.routelens.core.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * What run.json says about a model's weights, so that a trained model and a random-init one of the same config do
 * not look alike. A random-init model is its config plus its seed: {@code {"source": "random_init", "init_seed":
 * N}}. A checkpoint is the full SHA-256 of every weight file ({@code *.safetensors}, {@code *.bin}, {@code *.pt},
 * {@code *.pth}), each file's and one over them all (their names, sizes and digests in name order).
 *
 * <p>Cost: one sequential read of the weight files, on a background thread started when the model loads, so it
 * overlaps the run; run.json waits for it only if the run ends first, and records that wait. The JDK's
 * SHA-256 runs at roughly 0.5-2 GB/s, so a 36 GB checkpoint adds up to a minute or so of one core, and of disk
 * reads if the files are not in the page cache. It is computed once per JVM per file (same path, size and
 * modification time): a facade session running several studies hashes once.
 */
public final class WeightsDigest {
    /** Per weight file (absolute path, size, mtime): its digest, computed once. */
    private static final Map<String, CompletableFuture<String>> FILES = new ConcurrentHashMap<>();

    private WeightsDigest() {
    }

    /** The record of a random-init model of seed {@code seed}. */
    public static Map<String, Object> randomInit(long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "random_init");
        m.put("init_seed", seed);
        return m;
    }

    /** Starts digesting the weight files of {@code dir} in the background (no-op when already started). */
    public static void start(Path dir) {
        try {
            for (Path f : weightFiles(dir)) {
                file(f);
            }
        } catch (IOException e) {
            // the wait in of() reports it
        }
    }

    /** The record of checkpoint folder {@code dir}, waiting for the digests {@link #start} began. */
    public static Map<String, Object> of(Path dir) {
        long t0 = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "checkpoint");
        m.put("algorithm", "sha256 of each weight file; sha256 over their names, sizes and digests");
        try {
            MessageDigest all = Digests.sha256();
            Map<String, Object> files = new LinkedHashMap<>();
            for (Path f : weightFiles(dir)) {
                String hex = file(f).get();
                long size = Files.size(f);
                String name = f.getFileName().toString();
                all.update((name + "\t" + size + "\t" + hex + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                files.put(name, Map.of("bytes", size, "sha256", hex));
            }
            m.put("sha256", Digests.hex(all));
            m.put("files", files);
        } catch (IOException | ExecutionException e) {
            m.put("sha256", "unavailable (" + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            m.put("sha256", "unavailable (interrupted)");
        }
        m.put("wait_seconds", (System.nanoTime() - t0) / 1e9);
        return m;
    }

    /** The weight files of {@code dir}, in name order. */
    static List<Path> weightFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.(safetensors|bin|pt|pth)"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static CompletableFuture<String> file(Path f) throws IOException {
        String key = f.toAbsolutePath().normalize() + "|" + Files.size(f) + "|" + Files.getLastModifiedTime(f).toMillis();
        return FILES.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> sha256(f), WeightsDigest::daemon));
    }

    /** A daemon thread per digest: a JVM that is done does not wait for one. */
    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "routelens-weights-digest");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static String sha256(Path f) {
        MessageDigest md = Digests.sha256();
        byte[] buffer = new byte[1 << 20]; // [1 MiB] read buffer
        try (InputStream in = Files.newInputStream(f)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Digests.hex(md);
    }
}
