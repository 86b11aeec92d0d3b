package dev.routelens.model.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One {@code .safetensors} file, validated on open; tensors are read block by block and widened to float32.
 *
 * <p>Opening reads and checks the header ({@link SafetensorsHeader}), so later reads cannot go out of
 * bounds. Reads copy the data a block at a time ({@link FileChannel#read(ByteBuffer, long)}, a
 * pread) into a small direct buffer and widen it to float32 there ({@link FloatWidening}), with the
 * slices of a large tensor shared across the cores; a checked read refuses NaN, infinities and, when
 * asked, F16 overflow in the same pass. Reading rather than mapping: each fresh mapping page-faults its
 * pages in, which held a warm-cache read to about 1.3 GB/s here, and a mapping is only released when
 * the collector finds its buffer.
 *
 * <p>Hand-written on purpose (issue 17): DJL 0.32's {@code NDList.decode} reads safetensors too, but only
 * a whole file at once into native NDArrays, with none of the above (bounds checked on open, one tensor
 * or slice at a time, widening and finiteness checks in one pass, one-line errors naming the file, fuzzed
 * in {@code CheckpointFuzzTest}); no other Java reader was found on Maven Central. The format itself is
 * one JSON header (parsed by Jackson) and raw little-endian arrays.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = SafetensorsHeader.MAX_HEADER_BYTES;

    /** Largest Java array a tensor can be read into. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8L;

    /**
     * Bytes read from the file at once, small enough to stay in L2 while they are widened; a multiple of
     * every element size.
     */
    static final long BLOCK_BYTES = 1L << 18;

    /** Elements per slice: the unit of the parallel split, and of the rescan that finds a bad value. */
    static final int SLICE_ELEMENTS = 1 << 20;

    /** See {@link #readBuffer}. */
    private static final ThreadLocal<ByteBuffer> READ_BUFFER = new ThreadLocal<>();

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
            SafetensorsHeader header = SafetensorsHeader.read(file, channel);
            return new SafetensorsFile(file, channel, header.dataStart(), header.entries(), header.metadata());
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
        return readFloats(name, BLOCK_BYTES);
    }

    /**
     * Reads tensor {@code name} widened to float32 and refuses it, as {@link #checkFinite} and then
     * {@link #checkFitsF16} would (same messages, same first index), if a value is NaN or infinite or,
     * with {@code refuseF16Overflow}, beyond F16's range; in one pass, split across the cores.
     */
    public float[] readFloatsChecked(String name, boolean refuseF16Overflow) throws CheckpointException {
        return read(name, BLOCK_BYTES, SLICE_ELEMENTS, true, refuseF16Overflow);
    }

    /** {@link #readFloats(String)} reading at most {@code blockBytes} at a time (small in tests). */
    float[] readFloats(String name, long blockBytes) throws CheckpointException {
        return read(name, blockBytes, SLICE_ELEMENTS, false, false);
    }

    /**
     * Reads {@code name} in slices of {@code sliceElements}, at most {@code blockBytes} per read call.
     * The slices are shared out as contiguous parts, one per core, on the common fork-join pool. With
     * {@code check}, a value beyond the limit (non-finite; with {@code refuseF16Overflow} also beyond F16)
     * flags its slice, and only flagged slices are scanned again for the first bad index. A non-finite
     * value anywhere is reported before an F16 overflow anywhere, as checkFinite then checkFitsF16 do.
     */
    float[] read(String name, long blockBytes, int sliceElements, boolean check, boolean refuseF16Overflow)
            throws CheckpointException {
        if (sliceElements < 1) {
            throw new IllegalArgumentException("sliceElements must be positive, got " + sliceElements);
        }
        TensorEntry e = entry(name);
        long count = e.elementCount();
        if (count > MAX_ELEMENTS) {
            throw CheckpointException.forTensor(path, name, count + " elements is too many for one Java array");
        }
        float[] out = new float[(int) count]; // shape e.shape(), flattened
        int limit = check ? FloatWidening.magnitudeLimit(e.dtype(), refuseF16Overflow) : FloatWidening.NO_LIMIT;
        int slices = (int) ((count + sliceElements - 1) / sliceElements);
        boolean[] flagged = new boolean[slices]; // [slices]: a value beyond the limit inside
        inParts(slices, (first, end) -> readSlices(e, first, end, sliceElements, blockBytes, out, limit, flagged));
        int firstOverflow = -1;
        for (int s = 0; s < slices; s++) {
            if (flagged[s]) {
                int from = s * sliceElements;
                int to = (int) Math.min(count, (long) from + sliceElements);
                int bad = firstNonFinite(out, from, to);
                if (bad >= 0) {
                    throw nonFinite(path, name, out[bad], bad); // nothing earlier was bad
                }
                if (refuseF16Overflow && firstOverflow < 0) {
                    firstOverflow = firstBeyondF16(out, from, to);
                }
            }
        }
        if (firstOverflow >= 0) {
            throw overflowsF16(path, name, out[firstOverflow], firstOverflow);
        }
        return out;
    }

    /**
     * Widens {@code name} into {@code dest} from its position on, advancing it, without value checks: for
     * tensors a {@link FiniteScan} has passed. Block by block through a small array, slices in parallel as
     * in {@link #readFloatsChecked}, so no array of the whole tensor is made.
     */
    public void readInto(String name, FloatBuffer dest) throws CheckpointException {
        TensorEntry e = entry(name);
        long count = e.elementCount();
        if (count > dest.remaining()) {
            throw CheckpointException.forTensor(path, name, count + " values but only " + dest.remaining() + " places");
        }
        int base = dest.position();
        int slices = (int) ((count + SLICE_ELEMENTS - 1) / SLICE_ELEMENTS);
        inParts(slices, (first, end) -> widenInto(e, (long) first * SLICE_ELEMENTS,
                Math.min(count, (long) end * SLICE_ELEMENTS), dest, base));
        dest.position(base + (int) count);
    }

    /**
     * Refuses {@code name} exactly as {@link #readFloatsChecked} would (same limits, same messages, a
     * non-finite value before any F16 overflow), reading block by block and keeping no values: the scan
     * a streamed run makes of every tensor before its first layer.
     */
    public void scan(String name, boolean refuseF16Overflow) throws CheckpointException {
        TensorEntry e = entry(name);
        long count = e.elementCount();
        int bytes = e.dtype().bytes();
        int limit = FloatWidening.magnitudeLimit(e.dtype(), refuseF16Overflow);
        int perBlock = (int) Math.max(1, Math.min(BLOCK_BYTES / bytes, count));
        ByteBuffer block = readBuffer(perBlock * bytes);
        short[] halves = FloatWidening.halfBlock(perBlock);
        float[] widened = new float[perBlock]; // [block]
        long firstOverflow = -1;
        float overflowValue = 0;
        for (long at = 0; at < count; at += perBlock) {
            int n = (int) Math.min(perBlock, count - at);
            block.clear().limit(n * bytes);
            readFully(e, block, at);
            block.flip();
            if (FloatWidening.widen(e.dtype(), block, n, widened, 0, limit, halves)) {
                int bad = firstNonFinite(widened, 0, n);
                if (bad >= 0) {
                    throw nonFinite(path, name, widened[bad], at + bad);
                }
                int over = refuseF16Overflow && firstOverflow < 0 ? firstBeyondF16(widened, 0, n) : -1;
                if (over >= 0) {
                    firstOverflow = at + over;
                    overflowValue = widened[over];
                }
            }
        }
        if (firstOverflow >= 0) {
            throw overflowsF16(path, name, overflowValue, firstOverflow);
        }
    }

    /** Reads in contiguous parts of [0, slices), one per core, on the common fork-join pool. */
    private static void inParts(int slices, SliceRange range) throws CheckpointException {
        int parts = Math.max(1, Math.min(slices, Runtime.getRuntime().availableProcessors()));
        if (parts == 1) {
            range.read(0, slices);
            return;
        }
        try {
            IntStream.range(0, parts).parallel().forEach(p -> {
                try {
                    range.read((int) ((long) slices * p / parts), (int) ((long) slices * (p + 1) / parts));
                } catch (CheckpointException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (UncheckedIOException ex) {
            throw (CheckpointException) ex.getCause();
        }
    }

    /** Reads slices [first, end) of a tensor. */
    @FunctionalInterface
    private interface SliceRange {
        void read(int first, int end) throws CheckpointException;
    }

    /** Elements [from, to) of {@code e}, widened, at {@code dest[base + from]} on. */
    private void widenInto(TensorEntry e, long from, long to, FloatBuffer dest, int base) throws CheckpointException {
        int bytes = e.dtype().bytes();
        int perBlock = (int) Math.max(1, Math.min(BLOCK_BYTES / bytes, to - from));
        ByteBuffer block = readBuffer(perBlock * bytes);
        short[] halves = FloatWidening.halfBlock(perBlock);
        float[] widened = new float[perBlock]; // [block]
        for (long at = from; at < to; at += perBlock) {
            int n = (int) Math.min(perBlock, to - at);
            block.clear().limit(n * bytes);
            readFully(e, block, at);
            block.flip();
            FloatWidening.widen(e.dtype(), block, n, widened, 0, FloatWidening.NO_LIMIT, halves);
            dest.put(base + (int) at, widened, 0, n);
        }
    }

    /** Reads and widens slices [first, end) of {@code e} into {@code out}, flagging those beyond {@code limit}. */
    private void readSlices(TensorEntry e, int first, int end, int sliceElements, long blockBytes, float[] out,
            int limit, boolean[] flagged) throws CheckpointException {
        int bytes = e.dtype().bytes();
        long from = (long) first * sliceElements;
        long to = Math.min(out.length, (long) end * sliceElements);
        int perBlock = (int) Math.max(1, Math.min(blockBytes / bytes, to - from));
        ByteBuffer block = readBuffer(perBlock * bytes);
        short[] halves = FloatWidening.halfBlock(perBlock);
        for (int s = first; s < end; s++) {
            int sliceEnd = (int) Math.min(out.length, (long) (s + 1) * sliceElements);
            for (int at = s * sliceElements; at < sliceEnd; at += perBlock) {
                int n = Math.min(perBlock, sliceEnd - at);
                block.clear().limit(n * bytes);
                readFully(e, block, at);
                block.flip();
                flagged[s] |= FloatWidening.widen(e.dtype(), block, n, out, at, limit, halves);
            }
        }
    }

    /**
     * This thread's direct read buffer, cleared, of at least {@code bytes}: kept per thread, as the JDK
     * keeps its own temporary I/O buffers, so that reads do not churn direct memory that only a garbage
     * collection gives back.
     */
    private static ByteBuffer readBuffer(int bytes) {
        ByteBuffer b = READ_BUFFER.get();
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect((int) Math.max(bytes, BLOCK_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            READ_BUFFER.set(b);
        }
        return b.clear();
    }

    /** Fills {@code block} from element {@code first} of {@code e} on. */
    private void readFully(TensorEntry e, ByteBuffer block, long first) throws CheckpointException {
        long position = dataStart + e.begin() + first * e.dtype().bytes();
        try {
            while (block.hasRemaining()) {
                if (channel.read(block, position + block.position()) < 0) {
                    throw new IOException("unexpected end of file");
                }
            }
        } catch (IOException ex) {
            throw CheckpointException.forTensor(path, e.name(),
                    "cannot read (" + CheckpointException.firstLine(ex.toString()) + ")");
        }
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
        int bad = firstNonFinite(values, 0, values.length);
        if (bad >= 0) {
            throw nonFinite(file, name, values[bad], bad);
        }
    }

    /**
     * Refuses a value of tensor {@code name} whose magnitude exceeds {@link HalfFloats#F16_MAX}: it would
     * become infinity in F16 (the GPU path). NaN is left to {@link #checkFinite}.
     */
    public static void checkFitsF16(String name, float[] values, Path file) throws CheckpointException {
        int bad = firstBeyondF16(values, 0, values.length);
        if (bad >= 0) {
            throw overflowsF16(file, name, values[bad], bad);
        }
    }

    /** The first index in [from, to) holding NaN or an infinity, or -1. */
    private static int firstNonFinite(float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The first index in [from, to) whose magnitude exceeds F16's largest finite value, or -1 (NaN passes). */
    private static int firstBeyondF16(float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Math.abs(values[i]) > HalfFloats.F16_MAX) {
                return i;
            }
        }
        return -1;
    }

    private static CheckpointException nonFinite(Path file, String name, float value, long index) {
        return CheckpointException.forTensor(file, name, "non-finite weight " + value + " at index " + index);
    }

    private static CheckpointException overflowsF16(Path file, String name, float value, long index) {
        return CheckpointException.forTensor(file, name, "value " + value + " at index " + index
                + " overflows F16 (max " + (int) HalfFloats.F16_MAX + ")");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
