package dev.routelens.model.bench;

import dev.routelens.model.RandomWeights;
import dev.routelens.model.checkpoint.CheckpointException;
import dev.routelens.model.checkpoint.HalfFloats;
import dev.routelens.model.checkpoint.SafeDType;
import dev.routelens.model.checkpoint.SafetensorsFile;
import dev.routelens.model.checkpoint.SafetensorsWriter;
import dev.routelens.model.checkpoint.TensorEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times the checkpoint read path (map, widen to float32, refuse non-finite values) from a warm page
 * cache, in GB/s of source bytes. For each of BF16, F16 and F32 it writes a temporary safetensors file
 * of about {@code --gb} gigabytes (SciDFM expert matrices, 8640 x 3200), reads it once untimed to warm the
 * page cache, then times each variant {@code --runs} times, interleaved, and deletes the file.
 * <pre>
 * CheckpointReadBenchmark [--gb 1.1] [--runs 3] [--dir DIR] [--dtypes BF16,F16,F32]
 * </pre>
 */
public final class CheckpointReadBenchmark {

    /** Rows and columns of one benchmark tensor: a SciDFM expert matrix. */
    private static final long ROWS = 8640, COLS = 3200;

    private CheckpointReadBenchmark() {
    }

    /** One way of reading a tensor to checked float32 values. */
    private interface Variant {
        float[] read(SafetensorsFile file, String name) throws IOException;
    }

    private record Named(String label, Variant variant) {
    }

    public static void main(String[] args) throws IOException {
        double gb = 1.1;
        int runs = 3;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        List<SafeDType> dtypes = List.of(SafeDType.BF16, SafeDType.F16, SafeDType.F32);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gb" -> gb = Double.parseDouble(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--dtypes" -> dtypes = parseDtypes(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Named> variants = List.of(
                new Named("readFloatsChecked (fused)", (f, n) -> f.readFloatsChecked(n, false)),
                new Named("  + F16-range check", (f, n) -> f.readFloatsChecked(n, true)),
                new Named("readFloats + checkFinite", (f, n) -> {
                    float[] v = f.readFloats(n);
                    SafetensorsFile.checkFinite(n, v, f.path());
                    return v;
                }),
                new Named("legacy per-element get(i)", CheckpointReadBenchmark::legacyRead));

        float[] values = RandomWeights.of(1).read("bench.expert.weight", ROWS, COLS); // [ROWS, COLS]
        System.out.printf("%d cores, max heap %.1f GB, %d runs, files in %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1e9, runs, dir);
        for (SafeDType dtype : dtypes) {
            long tensorBytes = values.length * (long) dtype.bytes();
            int tensors = (int) Math.max(1, Math.round(gb * 1e9 / tensorBytes));
            Path file = Files.createTempFile(dir, "routelens-read-bench-", ".safetensors");
            try {
                SafetensorsWriter writer = new SafetensorsWriter();
                for (int t = 0; t < tensors; t++) {
                    writer.add("bench." + t + ".weight", dtype, values, ROWS, COLS); // the same data, by reference
                }
                writer.write(file);
                try (SafetensorsFile st = SafetensorsFile.open(file)) {
                    time(st, dtype, variants, runs);
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void time(SafetensorsFile st, SafeDType dtype, List<Named> variants, int runs) throws IOException {
        long bytes = 0;
        for (TensorEntry e : st.entries().values()) {
            bytes += e.byteLength();
        }
        System.out.printf("%s: %d tensors, %.2f GB%n", dtype, st.entries().size(), bytes / 1e9);
        readAll(st, variants.get(0).variant()); // warms the page cache
        List<Repeats> repeats = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            repeats.add(new Repeats(runs));
        }
        for (int r = 0; r < runs; r++) {
            for (int v = 0; v < variants.size(); v++) {
                try (Repeats.Timer t = repeats.get(v).start()) {
                    readAll(st, variants.get(v).variant());
                }
                System.out.printf("  run %d  %-30s %6.2f s  %6.2f GB/s%n", r + 1, variants.get(v).label(),
                        repeats.get(v).last(), bytes / repeats.get(v).last() / 1e9);
            }
        }
        for (int v = 0; v < variants.size(); v++) {
            double s = repeats.get(v).median();
            System.out.printf("  %s median of %d  %-30s %6.2f s  %6.2f GB/s%n", dtype, runs, variants.get(v).label(), s,
                    bytes / s / 1e9);
        }
    }

    private static void readAll(SafetensorsFile st, Variant variant) throws IOException {
        double sink = 0;
        for (String name : st.entries().keySet()) {
            float[] v = variant.read(st, name);
            sink += v[0] + v[v.length - 1];
        }
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("non-finite values got through");
        }
    }

    /** The read path as it was: one mapping, ShortBuffer.get(i) and a HalfFloats call per element, then a second pass. */
    private static float[] legacyRead(SafetensorsFile st, String name) throws CheckpointException {
        TensorEntry e = st.entry(name);
        ByteBuffer window = st.map(name);
        float[] out = new float[Math.toIntExact(e.elementCount())];
        switch (e.dtype()) {
            case F32 -> window.asFloatBuffer().get(out);
            case F16 -> {
                ShortBuffer sb = window.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.f16ToF32(sb.get(i));
                }
            }
            case BF16 -> {
                ShortBuffer sb = window.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.bf16ToF32(sb.get(i));
                }
            }
            default -> throw new IllegalStateException("unhandled dtype " + e.dtype());
        }
        SafetensorsFile.checkFinite(name, out, st.path());
        return out;
    }

    private static List<SafeDType> parseDtypes(String list) {
        List<SafeDType> out = new ArrayList<>();
        for (String s : list.split(",")) {
            out.add(SafeDType.valueOf(s.strip()));
        }
        return out;
    }
}
