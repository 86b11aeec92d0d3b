package dev.routelens.model.checkpoint;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads every value of a checkpoint's tensors once, on the raw bits, and refuses the first NaN or
 * infinity (and, for the F16 compute path, the first value beyond F16's range), naming the file, the
 * tensor and the index. A streamed run calls it before its first layer, so a broken layer 17 fails at
 * once instead of after 16 layers of compute. Tensors are scanned in parallel, in order of the list.
 */
public final class FiniteScan {
    private static final int CHUNK = 1 << 16;

    private FiniteScan() {
    }

    /** Scans {@code names} of {@code checkpoint}; throws the first problem found in list order. */
    public static void check(Checkpoint checkpoint, List<String> names, boolean refuseF16Overflow)
            throws CheckpointException {
        AtomicReference<CheckpointException>[] problems = newArray(names.size());
        java.util.stream.IntStream.range(0, names.size()).parallel().forEach(i -> {
            try {
                scan(checkpoint, names.get(i), refuseF16Overflow);
            } catch (CheckpointException e) {
                problems[i] = new AtomicReference<>(e);
            }
        });
        for (AtomicReference<CheckpointException> p : problems) {
            if (p != null) {
                throw p.get();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static AtomicReference<CheckpointException>[] newArray(int n) {
        return (AtomicReference<CheckpointException>[]) new AtomicReference[n];
    }

    private static void scan(Checkpoint checkpoint, String name, boolean refuseF16Overflow) throws CheckpointException {
        TensorEntry e = checkpoint.entry(name);
        ByteBuffer bytes = checkpoint.map(name);
        long bad = switch (e.dtype()) {
            case F32 -> scanF32(bytes.asIntBuffer(), refuseF16Overflow);
            case F16 -> scan16(bytes.asShortBuffer(), 0x7c00, 0x7c00, false);
            case BF16 -> scan16(bytes.asShortBuffer(), 0x7f80, 0x7f80, refuseF16Overflow);
        };
        if (bad >= 0) {
            float value = switch (e.dtype()) {
                case F32 -> Float.intBitsToFloat(bytes.getInt((int) bad * 4));
                case F16 -> HalfFloats.f16ToF32(bytes.getShort((int) bad * 2));
                case BF16 -> HalfFloats.bf16ToF32(bytes.getShort((int) bad * 2));
            };
            String what = Float.isFinite(value)
                    ? "value " + value + " at index " + bad + " overflows F16 (max " + (int) HalfFloats.F16_MAX + ")"
                    : "non-finite weight " + value + " at index " + bad;
            throw CheckpointException.forTensor(checkpoint.fileOf(name), name, what);
        }
    }

    /** Index of the first non-finite (or, when asked, F16-overflowing) float32, or -1. */
    private static long scanF32(IntBuffer in, boolean refuseF16Overflow) {
        int[] chunk = new int[CHUNK];
        int limit = Float.floatToRawIntBits(HalfFloats.F16_MAX);
        for (int from = 0; from < in.limit(); from += CHUNK) {
            int n = Math.min(CHUNK, in.limit() - from);
            in.get(from, chunk, 0, n);
            for (int i = 0; i < n; i++) {
                int magnitude = chunk[i] & 0x7fffffff;
                if (magnitude >= 0x7f800000 || (refuseF16Overflow && magnitude > limit)) {
                    return from + i;
                }
            }
        }
        return -1;
    }

    /**
     * Index of the first 16-bit value whose exponent bits are all ones ({@code expMask}), or, when asked,
     * whose bfloat16 magnitude exceeds F16's maximum; -1 if none.
     */
    private static long scan16(ShortBuffer in, int expMask, int expAll, boolean refuseBf16OverF16) {
        short[] chunk = new short[CHUNK];
        int limit = Float.floatToRawIntBits(HalfFloats.F16_MAX) >>> 16; // bf16 bits of 65504 rounded down
        for (int from = 0; from < in.limit(); from += CHUNK) {
            int n = Math.min(CHUNK, in.limit() - from);
            in.get(from, chunk, 0, n);
            for (int i = 0; i < n; i++) {
                int bits = chunk[i] & 0x7fff;
                if ((bits & expMask) == expAll) {
                    return from + i;
                }
                if (refuseBf16OverF16 && bits > limit
                        && Math.abs(HalfFloats.bf16ToF32(chunk[i])) > HalfFloats.F16_MAX) {
                    return from + i;
                }
            }
        }
        return -1;
    }
}
