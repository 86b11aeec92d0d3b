package dev.routelens.model.checkpoint;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Widens a block of F32, F16 or BF16 elements, read little-endian from the file, to float32 through bulk
 * buffer copies, and in the same pass notes whether any value lies beyond a magnitude limit
 * (non-finite, or beyond F16's range), so that a checked read needs no second pass over the tensor.
 * The values are bit-identical to {@link HalfFloats}' per-element conversions: BF16 is a 16-bit shift
 * and F16 goes through a table of all 65536 patterns built from {@link HalfFloats#f16ToF32}. Which
 * element is bad is left to the caller, which rescans only a slice that was flagged.
 *
 * <p>The limit test is branch-free: for a sign-cleared magnitude {@code m <= MAX} of a w-bit encoding,
 * {@code m + (MAX - limit)} sets bit w-1 exactly when {@code m > limit}, and OR-ing those sums over a
 * block costs less than a compare per element.
 */
final class FloatWidening {

    /** Elements copied per bulk get: 16 KiB of shorts, so the scratch block stays in L1. */
    static final int BLOCK = 8192;

    /** Largest finite magnitude, as bits of each encoding (sign cleared). */
    private static final int F32_FINITE_MAX = 0x7f7fffff;
    private static final int F16_FINITE_MAX = 0x7bff;
    private static final int BF16_FINITE_MAX = 0x7f7f;
    /** Largest magnitude that fits F16 (65504), as F32 bits and as BF16 bits (65280; the next is 65536). */
    private static final int F32_FITS_F16_MAX = 0x477fe000;
    private static final int BF16_FITS_F16_MAX = 0x477f;
    /** A limit no magnitude exceeds: nothing is refused. */
    static final int NO_LIMIT = Integer.MAX_VALUE;

    /** float32 of every binary16 bit pattern. */
    private static final float[] F16_TABLE = new float[1 << 16]; // [65536], indexed by the unsigned bits

    static {
        for (int bits = 0; bits < F16_TABLE.length; bits++) {
            F16_TABLE[bits] = HalfFloats.f16ToF32((short) bits);
        }
    }

    private FloatWidening() {
    }

    /**
     * The largest magnitude bits of {@code dtype} that pass: finite values, and with
     * {@code refuseF16Overflow} only magnitudes up to {@link HalfFloats#F16_MAX}. Comparing sign-cleared
     * bits is the same as comparing magnitudes, and NaN and infinity lie above every finite value.
     */
    static int magnitudeLimit(SafeDType dtype, boolean refuseF16Overflow) {
        return switch (dtype) {
            case F32 -> refuseF16Overflow ? F32_FITS_F16_MAX : F32_FINITE_MAX;
            case F16 -> F16_FINITE_MAX; // every finite F16 value fits F16
            case BF16 -> refuseF16Overflow ? BF16_FITS_F16_MAX : BF16_FINITE_MAX;
        };
    }

    /** A scratch block for {@link #widen} calls of at most {@code n} elements, one per thread. */
    static short[] halfBlock(int n) {
        return new short[Math.min(BLOCK, n)];
    }

    /**
     * Widens the first {@code n} elements of {@code src} (little-endian, element 0 at index 0) into
     * {@code out[at, at + n)}, through {@code halves} for F16 and BF16; returns whether any magnitude
     * exceeded {@code limit}.
     */
    static boolean widen(SafeDType dtype, ByteBuffer src, int n, float[] out, int at, int limit, short[] halves) {
        return switch (dtype) {
            case F32 -> f32(src.asFloatBuffer(), n, out, at, limit);
            case F16 -> f16(src.asShortBuffer(), n, out, at, limit, halves);
            case BF16 -> bf16(src.asShortBuffer(), n, out, at, limit, halves);
        };
    }

    private static boolean f32(FloatBuffer src, int n, float[] out, int at, int limit) {
        src.get(0, out, at, n);
        int slack = 0x7fffffff - limit; // bit 31 of magnitude + slack is set iff magnitude > limit
        int beyond = 0;
        for (int k = at; k < at + n; k++) {
            beyond |= (Float.floatToRawIntBits(out[k]) & 0x7fffffff) + slack;
        }
        return beyond < 0;
    }

    private static boolean f16(ShortBuffer src, int n, float[] out, int at, int limit, short[] halves) {
        int slack = 0x7fff - Math.min(limit, 0x7fff); // bit 15 of magnitude + slack is set iff magnitude > limit
        int beyond = 0;
        for (int done = 0; done < n; done += BLOCK) {
            int len = Math.min(BLOCK, n - done);
            int o = at + done;
            src.get(done, halves, 0, len);
            for (int k = 0; k < len; k++) {
                int bits = halves[k] & 0xffff;
                out[o + k] = F16_TABLE[bits];
                beyond |= (bits & 0x7fff) + slack;
            }
        }
        return (beyond & 0x8000) != 0;
    }

    private static boolean bf16(ShortBuffer src, int n, float[] out, int at, int limit, short[] halves) {
        int slack = 0x7fff - Math.min(limit, 0x7fff); // bit 15 of magnitude + slack is set iff magnitude > limit
        int beyond = 0;
        for (int done = 0; done < n; done += BLOCK) {
            int len = Math.min(BLOCK, n - done);
            int o = at + done;
            src.get(done, halves, 0, len);
            for (int k = 0; k < len; k++) {
                int bits = halves[k]; // sign-extended; the shift drops the extension
                out[o + k] = Float.intBitsToFloat(bits << 16);
                beyond |= (bits & 0x7fff) + slack;
            }
        }
        return (beyond & 0x8000) != 0;
    }
}
