package dev.routelens.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir
    Path dir;

    /** Random values spread over many binades, plus edge cases every format must carry. */
    private static float[] testValues(long seed) {
        Random random = new Random(seed);
        float[] v = new float[600]; // [20, 30]
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (Math.pow(2, -20 + 35 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1));
        }
        float[] edges = {0f, -0f, 1f, -1f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 1e-40f, 1f + 0x1p-11f, 3.14159265f};
        System.arraycopy(edges, 0, v, 0, edges.length);
        return v;
    }

    /** BF16 by truncating the float bits after adding the round-to-nearest-even bias; written out long-hand. */
    private static float bf16Expected(float x) {
        int bits = Float.floatToRawIntBits(x);
        int upper = bits >>> 16;
        int lower = bits & 0xffff;
        if (lower > 0x8000 || (lower == 0x8000 && (upper & 1) == 1)) {
            upper++;
        }
        return Float.intBitsToFloat(upper << 16);
    }

    @Test
    void f32RoundTripIsBitExact() throws IOException {
        float[] v = testValues(1);
        v[5] = Float.MIN_VALUE;
        v[6] = -Float.MAX_VALUE;
        Path f = dir.resolve("f32.safetensors");
        new SafetensorsWriter().add("w", SafeDType.F32, v, 20, 30).write(f);
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertEquals(SafeDType.F32, st.entry("w").dtype());
            assertArrayEquals(new long[] {20, 30}, st.entry("w").shape());
            float[] back = st.readFloats("w");
            for (int i = 0; i < v.length; i++) {
                assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "index " + i);
            }
        }
    }

    @Test
    void bf16RoundTripEqualsRoundedTruncation() throws IOException {
        float[] v = testValues(2);
        Path f = dir.resolve("bf16.safetensors");
        new SafetensorsWriter().add("w", SafeDType.BF16, v, 20, 30).write(f);
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            float[] back = st.readFloats("w");
            for (int i = 0; i < v.length; i++) {
                assertEquals(bf16Expected(v[i]), back[i], 0f, "index " + i);
                if (Math.abs(v[i]) >= Float.MIN_NORMAL) { // within half a bf16 ulp (2^-8 relative)
                    assertTrue(Math.abs(back[i] - v[i]) <= Math.abs(v[i]) * 0x1p-8f, "index " + i);
                }
            }
        }
        assertEquals(1.0f, bf16Expected(1.00390625f)); // 1 + 2^-8: a tie, goes to even
        assertEquals(1.015625f, bf16Expected(1.01171875f)); // 1 + 3*2^-8: a tie, goes up to even
    }

    @Test
    void f16RoundTripIsWithinHalfAnUlp() throws IOException {
        float[] v = testValues(3);
        Path f = dir.resolve("f16.safetensors");
        new SafetensorsWriter().add("w", SafeDType.F16, v, 20, 30).write(f);
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            float[] back = st.readFloats("w");
            for (int i = 0; i < v.length; i++) {
                double x = v[i];
                double ulp = Math.abs(x) < 0x1p-14 ? 0x1p-24 : Math.scalb(1.0, Math.getExponent(back[i] == 0 ? x : back[i]) - 10);
                assertTrue(Math.abs(back[i] - x) <= ulp / 2, "index " + i + ": " + x + " -> " + back[i]);
                assertEquals(HalfFloats.f16ToF32(HalfFloats.f32ToF16(v[i])), back[i], 0f);
            }
        }
    }

    @Test
    void bytesMatchTheFormatByHand() throws IOException {
        Path f = dir.resolve("a.safetensors");
        new SafetensorsWriter().add("a", SafeDType.F32, new float[] {1f, -2f}, 2).write(f);
        byte[] bytes = Files.readAllBytes(f);
        // 54 bytes of JSON, padded with 2 spaces so the data starts at 8 + 56 = 64
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ";
        int headerLength = 56;
        assertEquals(headerLength, json.length());
        ByteBuffer expected = ByteBuffer.allocate(8 + headerLength + 8).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(headerLength).put(json.getBytes(StandardCharsets.US_ASCII));
        expected.put(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, (byte) 0xc0});
        assertArrayEquals(expected.array(), bytes);
    }

    @Test
    void headerIsSpacePaddedToAMultipleOf8AndKeepsOrderAndMetadata() throws IOException {
        Path f = dir.resolve("m.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .add("zeta", SafeDType.F16, new float[] {1, 2, 3}, 3)
                .add("alpha", SafeDType.BF16, new float[] {4}, 1, 1)
                .add("mid", SafeDType.F32, new float[] {5, 6}, 2)
                .write(f);
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"zeta\""), header);
        assertTrue(header.endsWith("}") || header.endsWith(" "), header);
        assertEquals(header.strip().length() + countTrailingSpaces(header), header.length());
        assertEquals(8 + n + 6 + 2 + 8, bytes.length);
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(st.entries().keySet()));
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(6, st.entry("alpha").begin());
            assertArrayEquals(new float[] {1, 2, 3}, st.readFloats("zeta"));
            assertArrayEquals(new float[] {4}, st.readFloats("alpha"));
            assertArrayEquals(new float[] {5, 6}, st.readFloats("mid"));
        }
    }

    private static int countTrailingSpaces(String s) {
        int n = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == ' '; i--) {
            n++;
        }
        return n;
    }

    @Test
    void sameInputsGiveIdenticalBytesAndNoTempFilesRemain() throws IOException {
        float[] v = testValues(4);
        for (String name : List.of("one.safetensors", "two.safetensors")) {
            new SafetensorsWriter().metadata("seed", "4")
                    .add("w", SafeDType.BF16, v, 600)
                    .add("b", SafeDType.F16, Arrays.copyOf(v, 10), 10)
                    .write(dir.resolve(name));
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("one.safetensors")), Files.readAllBytes(dir.resolve("two.safetensors")));
        // overwrite in place, atomically
        new SafetensorsWriter().add("w", SafeDType.F32, new float[] {7}, 1).write(dir.resolve("one.safetensors"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("one.safetensors", "two.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void refusesWhatAReaderWouldRefuse() {
        SafetensorsWriter nan = new SafetensorsWriter().add("bad.weight", SafeDType.F32, new float[] {1, Float.NaN}, 2);
        CheckpointException e = assertThrows(CheckpointException.class, () -> nan.write(dir.resolve("x.safetensors")));
        assertTrue(e.getMessage().contains("'bad.weight'"), e.getMessage());
        SafetensorsWriter big = new SafetensorsWriter().add("big", SafeDType.F16, new float[] {70000f}, 1);
        e = assertThrows(CheckpointException.class, () -> big.write(dir.resolve("x.safetensors")));
        assertTrue(e.getMessage().contains("'big'") && e.getMessage().contains("F16"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x.safetensors")));
        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsWriter().add("w", SafeDType.F32, new float[3], 2, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsWriter().add("w", SafeDType.F32, new float[1], 1).add("w", SafeDType.F32, new float[1], 1));
    }

    @Test
    void lazyValuesWriteTheSameBytesOneTensorAtATime() throws IOException {
        float[] v = testValues(5);
        new SafetensorsWriter().add("a", SafeDType.BF16, v, 20, 30).add("b", SafeDType.F32, Arrays.copyOf(v, 10), 10)
                .write(dir.resolve("eager.safetensors"));
        List<String> produced = new java.util.ArrayList<>();
        new SafetensorsWriter()
                .add("a", SafeDType.BF16, () -> {
                    produced.add("a");
                    return v.clone();
                }, 20, 30)
                .add("b", SafeDType.F32, () -> {
                    produced.add("b");
                    return Arrays.copyOf(v, 10);
                }, 10)
                .write(dir.resolve("lazy.safetensors"));
        assertEquals(List.of("a", "b"), produced, "each tensor produced once, in order");
        assertArrayEquals(Files.readAllBytes(dir.resolve("eager.safetensors")), Files.readAllBytes(dir.resolve("lazy.safetensors")));

        SafetensorsWriter shortOne = new SafetensorsWriter().add("w", SafeDType.F32, () -> new float[3], 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shortOne.write(dir.resolve("x.safetensors")));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        SafetensorsWriter nan = new SafetensorsWriter().add("ok", SafeDType.F32, new float[] {1}, 1)
                .add("bad", SafeDType.BF16, () -> new float[] {Float.NaN}, 1);
        assertThrows(CheckpointException.class, () -> nan.write(dir.resolve("x.safetensors")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("eager.safetensors", "lazy.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "a refused file leaves nothing behind");
        }
    }
}
