package dev.routelens.study;

import dev.routelens.core.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.bio.npy.NpzFile;

/**
 * One NumPy {@code .npz} file, built array by array and written atomically, so Python reads an output in one line:
 * {@code np.load("expert_choice.npz")["expert_choice"]}. Written by JetBrains Research's npy library, uncompressed,
 * little-endian, and byte-identical for the same arrays. Each array's data is flat in C order with its {@code shape}; the product of the shape must be
 * its length.
 */
public final class NpzOut {
    private record Entry(String name, Object data, int[] shape) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** A float64 array of {@code shape}. */
    public NpzOut doubles(String name, double[] data, int... shape) {
        return add(name, data, data.length, shape);
    }

    /** A float32 array of {@code shape}. */
    public NpzOut floats(String name, float[] data, int... shape) {
        return add(name, data, data.length, shape);
    }

    /** An int32 array of {@code shape}. */
    public NpzOut ints(String name, int[] data, int... shape) {
        return add(name, data, data.length, shape);
    }

    /**
     * A 1-D byte-string array ({@code S} dtype; {@code .astype(str)} in NumPy), when every value is ASCII, which is
     * all the library writes; otherwise nothing is added and false returned (the CSV beside it has the text).
     */
    public boolean asciiStrings(String name, List<String> values) {
        for (String v : values) {
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(v)) {
                return false;
            }
        }
        add(name, values.toArray(String[]::new), values.size(), new int[] {values.size()});
        return true;
    }

    /** {@code rows} as one flat C-order array. // [rows, width] -> [rows * width] */
    public static double[] flat(double[][] rows) {
        return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
    }

    /** Writes the arrays to {@code file} (a scratch file beside it, then copied in atomically). */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path scratch = Files.createTempFile(dir, "." + file.getFileName() + ".", ".npz");
        try {
            try (NpzFile.Writer w = NpzFile.write(scratch, false)) {
                for (Entry e : entries) {
                    if (e.data() instanceof double[] d) {
                        w.write(e.name(), d, e.shape());
                    } else if (e.data() instanceof float[] f) {
                        w.write(e.name(), f, e.shape());
                    } else if (e.data() instanceof int[] i) {
                        w.write(e.name(), i, e.shape());
                    } else {
                        w.write(e.name(), (String[]) e.data(), e.shape());
                    }
                }
            }
            AtomicFiles.writeBytes(file, out -> copyDeterministic(scratch, out));
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    /**
     * Copies the library's zip with a fixed time on each entry (1980-01-01, the first DOS time), so that the same
     * arrays give the same bytes, as every other output does; entries stay stored, not deflated.
     */
    private static void copyDeterministic(Path zip, OutputStream out) throws IOException {
        try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream z = new ZipOutputStream(out)) {
            for (ZipEntry e : Collections.list(in.entries())) {
                byte[] bytes;
                try (InputStream s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                CRC32 crc = new CRC32();
                crc.update(bytes);
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setMethod(ZipEntry.STORED);
                copy.setSize(bytes.length);
                copy.setCompressedSize(bytes.length);
                copy.setCrc(crc.getValue());
                copy.setTimeLocal(LocalDateTime.of(1980, 1, 1, 0, 0));
                z.putNextEntry(copy);
                z.write(bytes);
                z.closeEntry();
            }
        }
    }

    private NpzOut add(String name, Object data, int length, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " values, data has " + length);
        }
        entries.add(new Entry(name, data, shape.clone()));
        return this;
    }
}
