package dev.routelens.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    /** Every non-negative finite binary16 value, indexed by its bits (increasing). */
    private static final double[] FINITE_F16 = new double[0x7c00];

    static {
        for (int b = 0; b < FINITE_F16.length; b++) {
            FINITE_F16[b] = f16Reference(b);
        }
    }

    /** binary16 value from its bits by the textbook formula, in double (independent of the code under test). */
    private static double f16Reference(int bits) {
        int sign = (bits & 0x8000) != 0 ? -1 : 1;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return mant == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (exp == 0) {
            return sign * mant * Math.pow(2, -24);
        }
        return sign * (1 + mant / 1024.0) * Math.pow(2, exp - 15);
    }

    /** Nearest binary16 to {@code x} by search over all finite halves, ties to the even encoding. */
    private static int f16NearestReference(float x) {
        double ax = Math.abs((double) x);
        int sign = (Float.floatToRawIntBits(x) >>> 16) & 0x8000;
        if (ax >= 65520.0) { // 65504 + half an ulp (16): the tie goes to the even encoding, infinity
            return sign | 0x7c00;
        }
        int i = Arrays.binarySearch(FINITE_F16, ax);
        if (i >= 0) {
            return sign | i;
        }
        int above = -i - 1; // first finite half greater than ax (exists: ax < 65520)
        int below = above - 1;
        int best;
        if (above > 0x7bff) {
            best = 0x7bff;
        } else {
            double dBelow = ax - FINITE_F16[below];
            double dAbove = FINITE_F16[above] - ax;
            best = dBelow < dAbove || (dBelow == dAbove && (below & 1) == 0) ? below : above;
        }
        return sign | best;
    }

    /** Value of bfloat16 bits in double; the infinity encoding stands for 2^128 when rounding. */
    private static double bf16RoundingValue(int bits) {
        if ((bits & 0x7fff) == 0x7f80) {
            return ((bits & 0x8000) != 0 ? -1 : 1) * Math.pow(2, 128);
        }
        return Float.intBitsToFloat(bits << 16);
    }

    /** Nearest bfloat16 to finite {@code x}, ties to even, comparing the two neighbours in double. */
    private static int bf16NearestReference(float x) {
        int low = Float.floatToRawIntBits(x) >>> 16; // truncation toward zero
        int high = low + 1; // next larger magnitude, same sign
        double dl = Math.abs(bf16RoundingValue(low) - x);
        double dh = Math.abs(bf16RoundingValue(high) - x);
        return (dl < dh || (dl == dh && (low & 1) == 0) ? low : high) & 0xffff;
    }

    @Test
    void knownF16BitPatterns() {
        assertEquals(1.0f, HalfFloats.f16ToF32((short) 0x3c00));
        assertEquals(-2.0f, HalfFloats.f16ToF32((short) 0xc000));
        assertEquals(65504f, HalfFloats.f16ToF32((short) 0x7bff));
        assertEquals(0x1p-14f, HalfFloats.f16ToF32((short) 0x0400)); // smallest normal
        assertEquals(0x1p-24f, HalfFloats.f16ToF32((short) 0x0001)); // smallest subnormal
        assertEquals(1023 * 0x1p-24f, HalfFloats.f16ToF32((short) 0x03ff)); // largest subnormal
        assertEquals(-0x1p-24f, HalfFloats.f16ToF32((short) 0x8001));
        assertEquals(0.333251953125f, HalfFloats.f16ToF32((short) 0x3555));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToF32((short) 0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToF32((short) 0xfc00));
        assertTrue(Float.isNaN(HalfFloats.f16ToF32((short) 0x7e00)));
        assertTrue(Float.isNaN(HalfFloats.f16ToF32((short) 0x7c01))); // signalling NaN stays NaN
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(HalfFloats.f16ToF32((short) 0x8000)));

        assertEquals(0x3c00, HalfFloats.f32ToF16(1.0f) & 0xffff);
        assertEquals(0x7bff, HalfFloats.f32ToF16(65504f) & 0xffff);
        assertEquals(0x0001, HalfFloats.f32ToF16(0x1p-24f) & 0xffff);
        assertEquals(0x7c00, HalfFloats.f32ToF16(Float.POSITIVE_INFINITY) & 0xffff);
        assertEquals(0xfc00, HalfFloats.f32ToF16(Float.NEGATIVE_INFINITY) & 0xffff);
        assertEquals(0x8000, HalfFloats.f32ToF16(-0.0f) & 0xffff);
        assertTrue(Float.isNaN(HalfFloats.f16ToF32(HalfFloats.f32ToF16(Float.NaN))));
        assertTrue(Float.isNaN(HalfFloats.f16ToF32(HalfFloats.f32ToF16(Float.intBitsToFloat(0x7f800001)))));
    }

    @Test
    void f16WideningMatchesTheFormulaForAllBitPatterns() {
        for (int b = 0; b < 0x10000; b++) {
            double expected = f16Reference(b);
            float got = HalfFloats.f16ToF32((short) b);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(got), Integer.toHexString(b));
            } else {
                assertEquals(expected, got, 0.0, Integer.toHexString(b));
                // and narrowing back is the identity (including -0 and infinities)
                assertEquals(b, HalfFloats.f32ToF16(got) & 0xffff, Integer.toHexString(b));
            }
        }
    }

    @Test
    void f16NarrowingRoundsToNearestEven() {
        // hand-computed ties and boundaries
        assertEquals(0x3c00, HalfFloats.f32ToF16(1f + 0x1p-11f) & 0xffff); // tie between 1 and 1+2^-10: even is 1
        assertEquals(0x3c02, HalfFloats.f32ToF16(1f + 3 * 0x1p-11f) & 0xffff); // tie: goes up to even
        assertEquals(0x3c01, HalfFloats.f32ToF16(1f + 0x1p-11f + 0x1p-20f) & 0xffff); // just above the tie
        assertEquals(0x0000, HalfFloats.f32ToF16(0x1p-25f) & 0xffff); // half the smallest subnormal: even is 0
        assertEquals(0x0001, HalfFloats.f32ToF16(0x1.0001p-25f) & 0xffff);
        assertEquals(0x0002, HalfFloats.f32ToF16(3 * 0x1p-25f) & 0xffff); // tie between 1 and 2 units
        assertEquals(0x0400, HalfFloats.f32ToF16(0x3ffp-24f + 0x1p-25f) & 0xffff); // subnormal carries to normal
        assertEquals(0x7bff, HalfFloats.f32ToF16(65519f) & 0xffff);
        assertEquals(0x7c00, HalfFloats.f32ToF16(65520f) & 0xffff); // tie above the max: infinity
        assertEquals(0x0000, HalfFloats.f32ToF16(Float.MIN_VALUE) & 0xffff);

        Random random = new Random(42);
        for (int i = 0; i < 3000; i++) {
            // log-uniform over the binary16 range and a bit beyond, both signs
            float x = (float) (Math.pow(2, -27 + 44 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1));
            assertEquals(f16NearestReference(x), HalfFloats.f32ToF16(x) & 0xffff, Float.toString(x));
        }
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertEquals(0x3f80, HalfFloats.f32ToBf16(1.0f) & 0xffff);
        assertEquals(0x3f80, HalfFloats.f32ToBf16(Float.intBitsToFloat(0x3f808000)) & 0xffff); // tie: even
        assertEquals(0x3f82, HalfFloats.f32ToBf16(Float.intBitsToFloat(0x3f818000)) & 0xffff); // tie: up to even
        assertEquals(0x3f81, HalfFloats.f32ToBf16(Float.intBitsToFloat(0x3f808001)) & 0xffff);
        assertEquals(0x7f80, HalfFloats.f32ToBf16(Float.MAX_VALUE) & 0xffff); // rounds past the largest bf16
        assertTrue(Float.isNaN(HalfFloats.bf16ToF32(HalfFloats.f32ToBf16(Float.intBitsToFloat(0x7f800001)))));
        assertEquals(-2.0f, HalfFloats.bf16ToF32((short) 0xc000));

        Random random = new Random(7);
        int[] special = {0x00000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0x80000000, 0x3f7fffff, 0x4049_0fdb};
        int[] bits = Arrays.copyOf(special, special.length + 20000);
        for (int i = special.length; i < bits.length; i++) {
            bits[i] = random.nextInt();
        }
        for (int b : bits) {
            float x = Float.intBitsToFloat(b);
            if (!Float.isFinite(x)) {
                continue;
            }
            assertEquals(bf16NearestReference(x), HalfFloats.f32ToBf16(x) & 0xffff, Integer.toHexString(b));
        }
    }
}
