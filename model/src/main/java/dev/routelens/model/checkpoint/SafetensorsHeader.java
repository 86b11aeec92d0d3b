package dev.routelens.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated header of a {@code .safetensors} file: 8-byte little-endian length N, N bytes of UTF-8
 * JSON, then the data section. Each entry gives {@code dtype}, {@code shape} and {@code data_offsets}
 * relative to the data section; every entry is checked (dtype known, shape non-negative without
 * overflow, byte length matching the shape, offsets in range and not overlapping), so reads through
 * {@link SafetensorsFile} cannot go out of bounds.
 *
 * @param dataStart file offset of the data section
 * @param entries every tensor, in header order
 * @param metadata the {@code __metadata__} strings (empty if absent)
 */
record SafetensorsHeader(long dataStart, Map<String, TensorEntry> entries, Map<String, String> metadata) {

    /** Largest header accepted, as in the reference implementation. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";

    /** Reads and validates the header of {@code file}; every problem is a {@link CheckpointException} naming it. */
    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
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
        return new SafetensorsHeader(dataStart, entries, metadata);
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
}
