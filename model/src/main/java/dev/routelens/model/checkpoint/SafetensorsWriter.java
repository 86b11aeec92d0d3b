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
 * <p>A tensor is added either as values or as a {@link Values} that produces them when the file is
 * written, so a writer of many large tensors (a full-width checkpoint) holds one tensor at a time.
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

    /** A tensor's row-major values, produced when the file is written. */
    @FunctionalInterface
    public interface Values {
        float[] get() throws IOException;
    }

    /** One tensor waiting to be written: {@code elements = product(shape)} values from {@code values}. */
    private record Pending(SafeDType dtype, long[] shape, long elements, Values values) {
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
        Objects.requireNonNull(data, "data");
        long elements = elements(name, shape);
        if (elements != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + data.length + " values for shape "
                    + Arrays.toString(shape));
        }
        return add(name, dtype, () -> data, shape);
    }

    /**
     * Adds tensor {@code name} stored as {@code dtype}, whose values {@code values} produces during
     * {@link #write}, once, in insertion order. Refuses a duplicate name; a wrong length is refused on writing.
     */
    public SafetensorsWriter add(String name, SafeDType dtype, Values values, long... shape) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(values, "values");
        if (name.equals("__metadata__") || tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice or reserved");
        }
        tensors.put(name, new Pending(dtype, shape.clone(), elements(name, shape), values));
        return this;
    }

    private static long elements(String name, long[] shape) {
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in " + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        return elements;
    }

    /** Number of tensors added. */
    public int size() {
        return tensors.size();
    }

    /**
     * Writes the file atomically, producing one tensor at a time. Refuses (naming the tensor) NaN or
     * infinite values, and values that overflow F16 when the tensor is stored as F16, since such a file
     * would be refused on reading; a refused file never appears.
     */
    public void write(Path file) throws IOException {
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
                for (Map.Entry<String, Pending> t : tensors.entrySet()) {
                    Pending p = t.getValue();
                    float[] data = produce(t.getKey(), p, file);
                    for (float v : data) {
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

    /** Produces {@code name}'s values and refuses a wrong length, a non-finite value or an F16 overflow. */
    private static float[] produce(String name, Pending p, Path file) throws IOException {
        float[] data = p.values().get();
        if (data == null || data.length != p.elements()) {
            throw new IllegalArgumentException("tensor '" + name + "': " + (data == null ? "no" : data.length)
                    + " values for shape " + Arrays.toString(p.shape()));
        }
        SafetensorsFile.checkFinite(name, data, file);
        if (p.dtype() == SafeDType.F16) {
            SafetensorsFile.checkFitsF16(name, data, file);
        }
        return data;
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
            long end = offset + p.elements() * p.dtype().bytes();
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
