package dev.routelens.model.checkpoint;

/**
 * Conversions between float32 and the two 16-bit formats, bit-exact, for Java 17
 * ({@code Float.float16ToFloat} arrived in Java 20). Narrowing rounds to nearest, ties to even;
 * NaN stays NaN (quiet), infinities stay infinite, F16 overflow becomes infinity.
 *
 * <p>Hand-written on purpose (issue 17): the project targets Java 17, and a library for two bit-level
 * conversions would be a dependency larger than the code; the tests check every one of the 65,536 inputs.
 */
public final class HalfFloats {

    /** Largest finite binary16 value. */
    public static final float F16_MAX = 65504f;

    private HalfFloats() {
    }

    /** Widens binary16 bits to float32 (exact). */
    public static float f16ToF32(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            // zero or subnormal: mant * 2^-24, exact in float32
            float magnitude = mant * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Narrows float32 to binary16 bits, round-to-nearest-even. */
    public static short f32ToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            // infinity, or NaN kept quiet with the top payload bits
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15; // biased binary16 exponent
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            // binary16 subnormal (or zero): units of 2^-24
            int shift = 14 - e;
            if (shift > 24) {
                return (short) sign; // below half the smallest subnormal
            }
            int full = mant | 0x800000;
            int m = full >>> shift;
            int rest = full & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (m & 1) == 1)) {
                m++; // may carry into the smallest normal, which is the right encoding
            }
            return (short) (sign | m);
        }
        int m = mant >>> 13;
        int rest = mant & 0x1fff;
        int out = (e << 10) | m;
        if (rest > 0x1000 || (rest == 0x1000 && (m & 1) == 1)) {
            out++; // a carry into the exponent is correct, up to infinity
        }
        return (short) (sign | out);
    }

    /** Widens bfloat16 bits to float32 (exact). */
    public static float bf16ToF32(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }

    /** Narrows float32 to bfloat16 bits, round-to-nearest-even. */
    public static short f32ToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x0040); // NaN: keep it NaN and quiet
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsb) >>> 16);
    }
}
