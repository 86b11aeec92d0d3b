package dev.routelens.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code .safetensors} file, validated on open and read through memory maps.
 *
 * <p>Layout: 8-byte little-endian header length N, N bytes of UTF-8 JSON header, then the data section.
 * Each header entry gives {@code dtype}, {@code shape} and {@code data_offsets} relative to the data
 * section. Opening checks every entry (dtype known, shape non-negative without overflow, byte length
 * matching the shape, offsets in range and not overlapping, names unique), so later reads cannot go
 * out of bounds. Reads map the file window by window ({@link FileChannel#map}) and widen to float32.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Largest Java array a tensor can be read into. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8L;

    /** Bytes mapped at once while reading; a multiple of every element size. */
    static final long WINDOW_BYTES = 1L << 30;

    private static final String METADATA_KEY = "__metadata__";

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorEntry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart,
            Map<String, TensorEntry> entries, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = Collections.unmodifiableMap(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Opens and validates {@code file}; every problem is a {@link CheckpointException} naming it. */
    public static SafetensorsFile open(Path file) throws CheckpointException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "file not found");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new CheckpointException(file, "cannot open (" + CheckpointException.firstLine(e.toString()) + ")", e);
        }
        try {
            return parse(file, channel);
        } catch (CheckpointException e) {
            closeQuietly(channel);
            throw e;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CheckpointException(file, "cannot read (" + CheckpointException.firstLine(e.toString()) + ")", e);
        } catch (RuntimeException | Error e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static SafetensorsFile parse(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new CheckpointException(file, "file is " + fileSize + " bytes, too short for the 8-byte header length");
        }
        long headerLength = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new CheckpointException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
        }
        if (headerLength > fileSize - 8) {
            throw new CheckpointException(file, "header length " + headerLength + " reaches beyond the end of the file ("
                    + fileSize + " bytes)");
        }
        byte[] header = readFully(channel, 8, (int) headerLength).array();
        JsonNode root = CheckpointJson.parseObject(header, file, "header");
        long dataStart = 8 + headerLength;
        long dataLength = fileSize - dataStart;

        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(field.getValue(), file, metadata);
            } else {
                TensorEntry entry = readEntry(field.getKey(), field.getValue(), dataLength, file);
                entries.put(entry.name(), entry);
            }
        }
        refuseOverlaps(entries, file);
        return new SafetensorsFile(file, channel, dataStart, entries, metadata);
    }

    private static void readMetadata(JsonNode node, Path file, Map<String, String> out) throws CheckpointException {
        if (!node.isObject()) {
            throw new CheckpointException(file, METADATA_KEY + " must be an object of strings");
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> kv = it.next();
            if (!kv.getValue().isTextual()) {
                throw new CheckpointException(file, METADATA_KEY + " value for '" + kv.getKey() + "' is not a string");
            }
            out.put(kv.getKey(), kv.getValue().textValue());
        }
    }

    private static TensorEntry readEntry(String name, JsonNode node, long dataLength, Path file)
            throws CheckpointException {
        if (!node.isObject()) {
            throw CheckpointException.forTensor(file, name, "header entry is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw CheckpointException.forTensor(file, name, "missing or non-string dtype");
        }
        SafeDType dtype = SafeDType.parse(dtypeNode.textValue(), name, file);

        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw CheckpointException.forTensor(file, name, "missing or non-array shape");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(shapeNode.get(i), "shape", name, file);
        }
        long elements = 1;
        long byteLength;
        try {
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            byteLength = Math.multiplyExact(elements, (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw CheckpointException.forTensor(file, name, "shape " + Arrays.toString(shape) + " overflows");
        }

        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw CheckpointException.forTensor(file, name, "data_offsets must be an array [begin, end]");
        }
        long begin = nonNegativeLong(offsets.get(0), "data_offsets", name, file);
        long end = nonNegativeLong(offsets.get(1), "data_offsets", name, file);
        if (begin > end) {
            throw CheckpointException.forTensor(file, name, "data_offsets begin " + begin + " > end " + end);
        }
        if (end > dataLength) {
            throw CheckpointException.forTensor(file, name, "data_offsets [" + begin + ", " + end
                    + "] out of range: data section is " + dataLength + " bytes (file truncated?)");
        }
        if (end - begin != byteLength) {
            throw CheckpointException.forTensor(file, name, "byte length " + (end - begin) + " != " + dtype
                    + " size " + dtype.bytes() + " x " + elements + " elements of shape "
                    + Arrays.toString(shape));
        }
        return new TensorEntry(name, dtype, shape, begin, end);
    }

    private static long nonNegativeLong(JsonNode n, String field, String tensor, Path file) throws CheckpointException {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw CheckpointException.forTensor(file, tensor, field + " holds " + n + ", not a 64-bit integer");
        }
        long v = n.longValue();
        if (v < 0) {
            throw CheckpointException.forTensor(file, tensor, field + " holds negative value " + v);
        }
        return v;
    }

    private static void refuseOverlaps(Map<String, TensorEntry> entries, Path file) throws CheckpointException {
        List<TensorEntry> sorted = new ArrayList<>();
        for (TensorEntry e : entries.values()) {
            if (e.byteLength() > 0) { // empty tensors occupy no bytes
                sorted.add(e);
            }
        }
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        for (int i = 1; i < sorted.size(); i++) {
            TensorEntry prev = sorted.get(i - 1);
            TensorEntry cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw CheckpointException.forTensor(file, cur.name(), "data_offsets [" + cur.begin() + ", " + cur.end()
                        + "] overlap tensor '" + prev.name() + "' [" + prev.begin() + ", " + prev.end() + "]");
            }
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        buf.flip();
        return buf;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one to report
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** All tensors, in header order. */
    public Map<String, TensorEntry> entries() {
        return entries;
    }

    /** The {@code __metadata__} strings (empty if absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The entry for {@code name}, refusing an absent tensor. */
    public TensorEntry entry(String name) throws CheckpointException {
        TensorEntry e = entries.get(name);
        if (e == null) {
            throw CheckpointException.forTensor(path, name, "not present");
        }
        return e;
    }

    /** Reads tensor {@code name} widened to float32, row-major, {@code elementCount()} values. */
    public float[] readFloats(String name) throws CheckpointException {
        return readFloats(name, WINDOW_BYTES);
    }

    /** {@link #readFloats(String)} mapping at most {@code windowBytes} at a time (small in tests). */
    float[] readFloats(String name, long windowBytes) throws CheckpointException {
        TensorEntry e = entry(name);
        long count = e.elementCount();
        if (count > MAX_ELEMENTS) {
            throw CheckpointException.forTensor(path, name, count + " elements is too many for one Java array");
        }
        float[] out = new float[(int) count]; // shape e.shape(), flattened
        int bytes = e.dtype().bytes();
        long perWindow = Math.max(1, windowBytes / bytes);
        try {
            for (long done = 0; done < count; done += perWindow) {
                int n = (int) Math.min(perWindow, count - done);
                ByteBuffer window = channel.map(FileChannel.MapMode.READ_ONLY,
                        dataStart + e.begin() + done * bytes, (long) n * bytes).order(ByteOrder.LITTLE_ENDIAN);
                int at = (int) done;
                switch (e.dtype()) {
                    case F32 -> {
                        FloatBuffer fb = window.asFloatBuffer();
                        fb.get(out, at, n);
                    }
                    case F16 -> {
                        ShortBuffer sb = window.asShortBuffer();
                        for (int i = 0; i < n; i++) {
                            out[at + i] = HalfFloats.f16ToF32(sb.get(i));
                        }
                    }
                    case BF16 -> {
                        ShortBuffer sb = window.asShortBuffer();
                        for (int i = 0; i < n; i++) {
                            out[at + i] = HalfFloats.bf16ToF32(sb.get(i));
                        }
                    }
                    default -> throw new IllegalStateException("unhandled dtype " + e.dtype());
                }
            }
        } catch (IOException ex) {
            throw CheckpointException.forTensor(path, name,
                    "cannot read (" + CheckpointException.firstLine(ex.toString()) + ")");
        }
        return out;
    }

    /**
     * Maps tensor {@code name}'s raw bytes read-only, little-endian, without copying; for tensors up to
     * 2 GiB (larger ones go through {@link #readFloats}).
     */
    public ByteBuffer map(String name) throws CheckpointException {
        TensorEntry e = entry(name);
        if (e.byteLength() > Integer.MAX_VALUE) {
            throw CheckpointException.forTensor(path, name, e.byteLength() + " bytes is too large for one mapping");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.byteLength())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw CheckpointException.forTensor(path, name,
                    "cannot map (" + CheckpointException.firstLine(ex.toString()) + ")");
        }
    }

    /** Refuses NaN or infinite {@code values} of tensor {@code name}, naming the first bad index. */
    public static void checkFinite(String name, float[] values, Path file) throws CheckpointException {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw CheckpointException.forTensor(file, name, "non-finite weight " + values[i] + " at index " + i);
            }
        }
    }

    /**
     * Refuses a value of tensor {@code name} whose magnitude exceeds {@link HalfFloats#F16_MAX}: it would
     * become infinity in F16 (the GPU path). NaN is left to {@link #checkFinite}.
     */
    public static void checkFitsF16(String name, float[] values, Path file) throws CheckpointException {
        for (int i = 0; i < values.length; i++) {
            if (Math.abs(values[i]) > HalfFloats.F16_MAX) {
                throw CheckpointException.forTensor(file, name, "value " + values[i] + " at index " + i
                        + " overflows F16 (max " + (int) HalfFloats.F16_MAX + ")");
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
