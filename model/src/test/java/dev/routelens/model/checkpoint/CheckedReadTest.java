package dev.routelens.model.checkpoint;

import static dev.routelens.model.checkpoint.CheckpointFixtures.raw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block-wise, parallel read path against the plain per-element one: values bit-identical to
 * {@link HalfFloats}' conversions, and refusals with the very message that {@code readFloats} followed by
 * {@code checkFinite} and {@code checkFitsF16} gives, across block edges (small blocks) and the edges of
 * the parallel slices (small slices).
 */
class CheckedReadTest {

    /** (block bytes, slice elements) pairs: defaults, odd sizes, one element per read and per slice. */
    private static final long[][] SPLITS = {
        {SafetensorsFile.BLOCK_BYTES, SafetensorsFile.SLICE_ELEMENTS}, {6, 5}, {4, 1}, {1000, 7}, {64, 4096}, {2, 333}};

    @TempDir
    Path dir;

    /** Raw little-endian tensors, each a dtype, a 1-D length and its bytes, written as one safetensors file. */
    private static final class RawFile {
        private final Map<String, Object[]> tensors = new LinkedHashMap<>();

        RawFile add(String name, SafeDType dtype, byte[] data) {
            tensors.put(name, new Object[] {dtype, data});
            return this;
        }

        Path write(Path file) throws IOException {
            StringBuilder header = new StringBuilder("{");
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (Map.Entry<String, Object[]> t : tensors.entrySet()) {
                SafeDType dtype = (SafeDType) t.getValue()[0];
                byte[] bytes = (byte[]) t.getValue()[1];
                if (header.length() > 1) {
                    header.append(',');
                }
                header.append('"').append(t.getKey()).append("\":{\"dtype\":\"").append(dtype).append("\",\"shape\":[")
                        .append(bytes.length / dtype.bytes()).append("],\"data_offsets\":[").append(data.size())
                        .append(',').append(data.size() + bytes.length).append("]}");
                data.write(bytes);
            }
            return raw(file, header.append('}').toString(), data.toByteArray());
        }
    }

    private static byte[] shorts(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }

    private static byte[] ints(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    private static short[] allPatterns() {
        short[] all = new short[1 << 16];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) i;
        }
        return all;
    }

    /** The float32 bits the plain per-element conversion gives for each raw element of {@code dtype}. */
    private static int[] expectedBits(SafeDType dtype, byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int[] bits = new int[data.length / dtype.bytes()];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = switch (dtype) {
                case F32 -> b.getInt(4 * i);
                case F16 -> Float.floatToRawIntBits(HalfFloats.f16ToF32(b.getShort(2 * i)));
                case BF16 -> Float.floatToRawIntBits(HalfFloats.bf16ToF32(b.getShort(2 * i)));
            };
        }
        return bits;
    }

    private static void assertBits(int[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": bits differ at index " + i + ": expected 0x"
                        + Integer.toHexString(expected[i]) + ", got 0x" + Integer.toHexString(Float.floatToRawIntBits(actual[i])));
            }
        }
    }

    /**
     * What the plain path says of {@code values} (widened per element by HalfFloats): checkFinite, then
     * (when asked) checkFitsF16; null when it accepts.
     */
    private static String plainRefusal(String name, float[] values, Path file, boolean refuseF16Overflow) {
        try {
            SafetensorsFile.checkFinite(name, values, file);
            if (refuseF16Overflow) {
                SafetensorsFile.checkFitsF16(name, values, file);
            }
            return null;
        } catch (CheckpointException e) {
            return e.getMessage();
        }
    }

    private static float[] floats(int[] bits) {
        float[] v = new float[bits.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(bits[i]);
        }
        return v;
    }

    /** What the checked read says with a given split; null when it accepts. */
    private static String checkedRefusal(SafetensorsFile st, String name, boolean refuseF16Overflow, long[] split)
            throws IOException {
        try {
            st.read(name, split[0], (int) split[1], true, refuseF16Overflow);
            return null;
        } catch (CheckpointException e) {
            return e.getMessage();
        }
    }

    @Test
    void everyHalfPatternWidensBitForBitWhateverTheSplit() throws IOException {
        byte[] all = shorts(allPatterns());
        Random random = new Random(3);
        int[] f32 = new int[20_011];
        for (int i = 0; i < f32.length; i++) {
            f32[i] = random.nextInt(); // NaN payloads, infinities and subnormals included
        }
        Path file = new RawFile().add("f16", SafeDType.F16, all).add("bf16", SafeDType.BF16, all)
                .add("f32", SafeDType.F32, ints(f32)).write(dir.resolve("all.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (String name : new String[] {"f16", "bf16", "f32"}) {
                SafeDType dtype = st.entry(name).dtype();
                int[] expected = expectedBits(dtype, dtype == SafeDType.F32 ? ints(f32) : all);
                assertBits(expected, st.readFloats(name), name);
                for (long[] split : SPLITS) {
                    assertBits(expected, st.read(name, split[0], (int) split[1], false, false),
                            name + " block " + split[0] + " slice " + split[1]);
                }
            }
        }
    }

    @Test
    void finiteExtremesPassTheChecksWithExactValues() throws IOException {
        short[] f16 = {0x0001, (short) 0x8001, 0x03ff, 0x0400, 0x7bff, (short) 0xfbff, 0, (short) 0x8000};
        short[] bf16 = {0x0001, (short) 0x8001, 0x007f, 0x0080, 0x477f, (short) 0xc77f, 0x7f7f, (short) 0xff7f};
        int[] f32 = {1, 0x007fffff, Float.floatToRawIntBits(65504f), Float.floatToRawIntBits(-65504f), 0x7f7fffff};
        Path file = new RawFile().add("f16", SafeDType.F16, shorts(f16)).add("bf16", SafeDType.BF16, shorts(bf16))
                .add("f32", SafeDType.F32, ints(f32)).write(dir.resolve("edges.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertBits(expectedBits(SafeDType.F16, shorts(f16)), st.readFloatsChecked("f16", true), "f16");
            assertEquals(0x1p-24f, st.readFloatsChecked("f16", true)[0]); // smallest F16 subnormal
            assertBits(expectedBits(SafeDType.BF16, shorts(bf16)), st.readFloatsChecked("bf16", false), "bf16");
            assertEquals(65504f, st.readFloatsChecked("f32", false)[2]);
            // 0x7f7f is BF16's largest finite value, far beyond F16; 65280 (0x477f) still fits F16
            assertEquals("value 3.3895314E38 at index 6 overflows F16 (max 65504)",
                    tail(assertThrows(CheckpointException.class, () -> st.readFloatsChecked("bf16", true))));
            assertEquals("value 3.4028235E38 at index 4 overflows F16 (max 65504)",
                    tail(assertThrows(CheckpointException.class, () -> st.readFloatsChecked("f32", true))));
        }
    }

    /** The message after "tensor 'name': ". */
    private static String tail(CheckpointException e) {
        String m = e.getMessage();
        return m.substring(m.indexOf("': ") + 3);
    }

    @Test
    void refusalsNameTheSameFirstIndexAndValueAsTheTwoPassChecks() throws IOException {
        Random random = new Random(17);
        RawFile raw = new RawFile();
        Map<String, float[]> plain = new LinkedHashMap<>(); // name -> values widened per element
        for (SafeDType dtype : SafeDType.values()) {
            for (int t = 0; t < 40; t++) {
                int n = 1 + random.nextInt(t < 30 ? 300 : 5000);
                int[] bits = new int[n];
                for (int i = 0; i < n; i++) {
                    bits[i] = ordinary(dtype, random);
                }
                int spoiled = random.nextInt(4); // 0 to 3 bad values: NaN, infinities, F16 overflow
                for (int s = 0; s < spoiled; s++) {
                    bits[random.nextInt(n)] = bad(dtype, random);
                }
                byte[] data = encode(dtype, bits);
                raw.add(dtype + "." + t, dtype, data);
                plain.put(dtype + "." + t, floats(expectedBits(dtype, data)));
            }
        }
        Path file = raw.write(dir.resolve("spoiled.safetensors"));
        int refused = 0;
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (Map.Entry<String, float[]> t : plain.entrySet()) {
                String name = t.getKey();
                for (boolean refuseF16 : new boolean[] {false, true}) {
                    String expected = plainRefusal(name, t.getValue(), file, refuseF16);
                    refused += expected == null ? 0 : 1;
                    try {
                        assertBits(toBits(t.getValue()), st.readFloatsChecked(name, refuseF16), name);
                        assertNull(expected, name + " was accepted");
                    } catch (CheckpointException e) {
                        assertEquals(expected, e.getMessage(), name);
                    }
                    for (long[] split : SPLITS) {
                        assertEquals(expected, checkedRefusal(st, name, refuseF16, split),
                                name + " block " + split[0] + " slice " + split[1]);
                    }
                    assertEquals(expected, scanRefusal(st, name, refuseF16), name + " scanned");
                }
            }
        }
        assertTrue(refused > 100, refused + " refusals: the spoiling should hit often");
    }

    /** A finite value well inside F16's range, as raw bits of {@code dtype}. */
    private static int ordinary(SafeDType dtype, Random random) {
        float v = (float) (random.nextGaussian() * 10);
        return switch (dtype) {
            case F32 -> Float.floatToRawIntBits(v);
            case F16 -> HalfFloats.f32ToF16(v) & 0xffff;
            case BF16 -> HalfFloats.f32ToBf16(v) & 0xffff;
        };
    }

    /** NaN, an infinity, or (F32 and BF16) a finite value beyond F16's range, as raw bits of {@code dtype}. */
    private static int bad(SafeDType dtype, Random random) {
        int kind = random.nextInt(dtype == SafeDType.F16 ? 3 : 4);
        int sign = random.nextBoolean() ? 1 : -1;
        float v = switch (kind) {
            case 0 -> Float.NaN;
            case 1 -> Float.POSITIVE_INFINITY * sign;
            case 2 -> Float.NEGATIVE_INFINITY * sign;
            default -> sign * (65536f + random.nextInt(1 << 20));
        };
        return switch (dtype) {
            case F32 -> Float.floatToRawIntBits(v);
            case F16 -> HalfFloats.f32ToF16(v) & 0xffff;
            case BF16 -> HalfFloats.f32ToBf16(v) & 0xffff;
        };
    }

    private static byte[] encode(SafeDType dtype, int[] bits) {
        if (dtype == SafeDType.F32) {
            return ints(bits);
        }
        short[] s = new short[bits.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) bits[i];
        }
        return shorts(s);
    }

    /** The message a scan refuses {@code name} with, or null when it passes. */
    private static String scanRefusal(SafetensorsFile st, String name, boolean refuseF16) {
        try {
            st.scan(name, refuseF16);
            return null;
        } catch (CheckpointException e) {
            return e.getMessage();
        }
    }

    @Test
    void aNonFiniteValueAnywhereOutranksAnEarlierF16Overflow() throws IOException {
        float[] v = new float[5000];
        v[10] = 70000f; // overflows F16, early
        v[4321] = Float.NEGATIVE_INFINITY; // non-finite, late, in another slice
        short[] bf = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            bf[i] = HalfFloats.f32ToBf16(v[i]);
        }
        int[] f32 = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            f32[i] = Float.floatToRawIntBits(v[i]);
        }
        Path file = new RawFile().add("bf16", SafeDType.BF16, shorts(bf)).add("f32", SafeDType.F32, ints(f32))
                .write(dir.resolve("both.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (String name : new String[] {"bf16", "f32"}) {
                for (long[] split : SPLITS) {
                    assertEquals(file + ": tensor '" + name + "': non-finite weight -Infinity at index 4321",
                            checkedRefusal(st, name, true, split));
                }
                assertEquals(file + ": tensor '" + name + "': non-finite weight -Infinity at index 4321",
                        scanRefusal(st, name, true));
            }
        }
    }

    @Test
    void aNanJustPastASliceEdgeIsNamedByItsIndex() throws IOException {
        short[] half = new short[9000];
        half[4096] = (short) 0x7e00; // quiet NaN, first element of the second 4096-element slice
        half[8999] = (short) 0x7c00;
        Path file = new RawFile().add("w", SafeDType.F16, shorts(half)).write(dir.resolve("nan.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (long[] split : SPLITS) {
                assertEquals(file + ": tensor 'w': non-finite weight NaN at index 4096",
                        checkedRefusal(st, "w", false, split));
            }
            assertTrue(Float.isNaN(st.readFloats("w")[4096])); // the unchecked read keeps it
        }
    }

    @Test
    void checkpointWeightsRefuseAsTheyDidInTwoPasses() throws IOException {
        Path model = dir.resolve("model");
        java.nio.file.Files.createDirectories(model);
        Map<String, float[]> weights = CheckpointFixtures.writeSingleFile(model, CheckpointFixtures.tinyConfigJson(), 5);
        String victim = MixtralNames.expertW1(1, 3);
        try (Checkpoint c = Checkpoint.open(model)) {
            CheckpointWeights plain = new CheckpointWeights(c, true);
            float[] read = plain.read(victim, c.entry(victim).shape());
            assertBits(toBits(weights.get(victim)), read, victim);
        }
        // spoil one value on disk beyond F16, then check the refusal names the tensor and index
        float[] spoiled = weights.get(victim).clone();
        spoiled[7] = -1e6f;
        SafetensorsWriter w = new SafetensorsWriter();
        Map<String, long[]> shapes = MixtralNames.expectedShapes(
                dev.routelens.model.MoeConfig.fromJson(CheckpointFixtures.tinyConfigJson()));
        weights.forEach((n, v) -> w.add(n, SafeDType.F32, n.equals(victim) ? spoiled : v, shapes.get(n)));
        w.write(model.resolve(Checkpoint.SINGLE_FILE));
        try (Checkpoint c = Checkpoint.open(model)) {
            new CheckpointWeights(c, false).read(victim, c.entry(victim).shape()); // finite: fine on the CPU path
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> new CheckpointWeights(c, true).read(victim, c.entry(victim).shape()));
            assertEquals(c.fileOf(victim) + ": tensor '" + victim + "': value -1000000.0 at index 7 overflows F16 (max 65504)",
                    e.getMessage());
        }
    }

    private static int[] toBits(float[] v) {
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToRawIntBits(v[i]);
        }
        return bits;
    }

    @Test
    void refusesANonPositiveSlice() throws IOException {
        Path file = new RawFile().add("w", SafeDType.F32, ints(new int[] {0})).write(dir.resolve("w.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThrows(IllegalArgumentException.class, () -> st.read("w", 4, 0, true, false));
        }
    }
}
