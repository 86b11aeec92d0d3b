package dev.routelens.model.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Collects tensors and writes them as one {@code .safetensors} file.
 *
 * <p>The bytes depend only on what was added: tensors in insertion order, packed back to back,
 * {@code __metadata__} first when present, the compact JSON header padded with spaces so the data
 * starts at a multiple of 8. F16 and BF16 are rounded to nearest, ties to even. The file is written to a
 * temporary file in the same directory and moved into place atomically.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *         .metadata("format", "pt")
 *         .add("model.norm.weight", SafeDType.F32, norm, hidden)   // [H]
 *         .write(dir.resolve("model.safetensors"));
 * }</pre>
 */
public final class SafetensorsWriter {

    private static final int CHUNK_BYTES = 1 << 20;

    /** One tensor waiting to be written; {@code data} is row-major with {@code product(shape)} values. */
    private record Pending(SafeDType dtype, long[] shape, float[] data) {
    }

    private final Map<String, Pending> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds a {@code __metadata__} entry. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Adds tensor {@code name} stored as {@code dtype}; {@code data} is kept by reference until
     * {@link #write}. Refuses a duplicate name or a length that does not match the shape.
     */
    public SafetensorsWriter add(String name, SafeDType dtype, float[] data, long... shape) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        if (name.equals("__metadata__") || tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice or reserved");
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in " + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        if (elements != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + data.length + " values for shape "
                    + Arrays.toString(shape));
        }
        tensors.put(name, new Pending(dtype, shape.clone(), data));
        return this;
    }

    /** Number of tensors added. */
    public int size() {
        return tensors.size();
    }

    /**
     * Writes the file atomically. Refuses (naming the tensor) NaN or infinite values, and values that
     * overflow F16 when the tensor is stored as F16, since such a file would be refused on reading.
     */
    public void write(Path file) throws IOException {
        for (Map.Entry<String, Pending> t : tensors.entrySet()) {
            SafetensorsFile.checkFinite(t.getKey(), t.getValue().data(), file);
            if (t.getValue().dtype() == SafeDType.F16) {
                SafetensorsFile.checkFitsF16(t.getKey(), t.getValue().data(), file);
            }
        }
        byte[] header = header();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buf.putLong(header.length);
                flush(buf, out);
                flush(ByteBuffer.wrap(header).position(header.length), out);
                for (Pending p : tensors.values()) {
                    for (float v : p.data()) {
                        put(buf, out, p.dtype().bytes());
                        switch (p.dtype()) {
                            case F32 -> buf.putInt(Float.floatToRawIntBits(v));
                            case F16 -> buf.putShort(HalfFloats.f32ToF16(v));
                            case BF16 -> buf.putShort(HalfFloats.f32ToBf16(v));
                            default -> throw new IllegalStateException("unhandled dtype " + p.dtype());
                        }
                    }
                }
                flush(buf, out);
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The JSON header, space-padded so that 8 + its length is a multiple of 8. */
    private byte[] header() throws JsonProcessingException {
        ObjectNode root = CheckpointJson.STRICT.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Pending> t : tensors.entrySet()) {
            Pending p = t.getValue();
            ObjectNode entry = root.putObject(t.getKey());
            entry.put("dtype", p.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : p.shape()) {
                shape.add(d);
            }
            long end = offset + (long) p.data().length * p.dtype().bytes();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = CheckpointJson.STRICT.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void put(ByteBuffer buf, FileChannel out, int needed) throws IOException {
        if (buf.remaining() < needed) {
            flush(buf, out);
        }
    }

    private static void flush(ByteBuffer buf, FileChannel out) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        buf.clear();
    }
}
