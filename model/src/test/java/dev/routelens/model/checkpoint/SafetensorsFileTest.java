package dev.routelens.model.checkpoint;

import static dev.routelens.model.checkpoint.CheckpointFixtures.f32Bytes;
import static dev.routelens.model.checkpoint.CheckpointFixtures.raw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    /** Opens {@code file} expecting a refusal; checks the message is one line naming the file and each fragment. */
    private static CheckpointException refused(Path file, String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> {
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                f.entries();
            }
        });
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.startsWith(file.toString()), msg);
        for (String fragment : fragments) {
            assertTrue(msg.contains(fragment), "expected '" + fragment + "' in: " + msg);
        }
        return e;
    }

    private Path header(String json, byte[] data) throws IOException {
        return raw(dir.resolve("t.safetensors"), json, data);
    }

    @Test
    void readsAHandWrittenFile() throws IOException {
        // data: a = [1, -2] F32, b = [0.5] BF16 (0x3f00), c = [-1.5] F16 (0xbe00), scalar d = [3] F32
        byte[] data = {
            0, 0, (byte) 0x80, 0x3f, 0, 0, 0, (byte) 0xc0,
            0x00, 0x3f,
            0x00, (byte) 0xbe,
            0, 0, 0x40, 0x40};
        Path f = header("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,1],\"data_offsets\":[8,10]},"
                + "\"c\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[10,12]},"
                + "\"d\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[12,16]},"
                + "\"empty\":{\"dtype\":\"F32\",\"shape\":[0,5],\"data_offsets\":[16,16]}}   ", data);
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertEquals(List.of("a", "b", "c", "d", "empty"), List.copyOf(st.entries().keySet()));
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(new TensorEntry("b", SafeDType.BF16, new long[] {1, 1}, 8, 10), st.entries().get("b"));
            assertArrayEquals(new float[] {1f, -2f}, st.readFloats("a"));
            assertArrayEquals(new float[] {0.5f}, st.readFloats("b"));
            assertArrayEquals(new float[] {-1.5f}, st.readFloats("c"));
            assertArrayEquals(new float[] {3f}, st.readFloats("d"));
            assertArrayEquals(new float[0], st.readFloats("empty"));
            assertEquals(-2f, st.map("a").getFloat(4));
            assertEquals(f, st.path());
            CheckpointException e = assertThrows(CheckpointException.class, () -> st.readFloats("zzz"));
            assertTrue(e.getMessage().contains("'zzz'"), e.getMessage());
        }
    }

    @Test
    void refusesFileShorterThanTheLengthField() throws IOException {
        Path f = Files.write(dir.resolve("short.safetensors"), new byte[] {1, 2, 3});
        refused(f, "too short");
    }

    @Test
    void refusesHeaderLengthBeyondFile() throws IOException {
        Path f = raw(dir.resolve("t.safetensors"), 1000, "{}".getBytes(StandardCharsets.UTF_8), new byte[20]);
        refused(f, "header length 1000", "beyond the end");
    }

    @Test
    void refusesHeaderClaimedOver100MB() throws IOException {
        Path f = raw(dir.resolve("t.safetensors"), 100_000_001L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        refused(f, "100000001", "limit");
        Path g = raw(dir.resolve("u.safetensors"), -1L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        refused(g, "18446744073709551615", "limit"); // u64 max, not a negative length
    }

    @Test
    void refusesInvalidJsonAndNonObjectHeaders() throws IOException {
        refused(header("{\"a\":", new byte[0]), "not valid JSON");
        refused(header("[1,2]", new byte[0]), "not a JSON object");
        refused(header("{} {}", new byte[0]), "not valid JSON", "trailing content");
        refused(raw(dir.resolve("bad.safetensors"), 2, new byte[] {'{', (byte) 0xff}, new byte[0]), "UTF-8");
        refused(header("{\"a\":[1]}", new byte[0]), "'a'", "not an object");
    }

    @Test
    void refusesOffsetsOutOfRange() throws IOException {
        Path f = header("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", f32Bytes(1, 2));
        refused(f, "'w'", "out of range");
    }

    @Test
    void refusesBeginAfterEnd() throws IOException {
        Path f = header("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", f32Bytes(1, 2, 3));
        refused(f, "'w'", "begin 8 > end 4");
    }

    @Test
    void refusesOverlappingTensors() throws IOException {
        Path f = header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", f32Bytes(1, 2, 3));
        refused(f, "'b'", "overlap", "'a'");
    }

    @Test
    void refusesByteLengthNotMatchingShape() throws IOException {
        Path f = header("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", f32Bytes(1, 2));
        refused(f, "'w'", "byte length 8", "3 elements");
        Path g = header("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", f32Bytes(1, 2));
        refused(g, "'w'", "byte length 8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"I64", "F64", "U8", "BOOL", "FOO", "f32"})
    void refusesUnknownDtype(String dtype) throws IOException {
        Path f = header("{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":[1],\"data_offsets\":[0,4]}}", f32Bytes(1));
        refused(f, "'w'", "'" + dtype + "'");
    }

    @Test
    void refusesNegativeShape() throws IOException {
        Path f = header("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,0]}}", new byte[0]);
        refused(f, "'w'", "negative");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[4611686018427387904,4]", "[9223372036854775807,2]", "[3037000500,3037000500]",
        "[2305843009213693952]"})
    void refusesOverflowingShape(String shape) throws IOException {
        Path f = header("{\"w\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,0]}}", new byte[0]);
        refused(f, "'w'", "overflows");
    }

    @Test
    void refusesShapeEntriesThatAreNotLongs() throws IOException {
        refused(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[100000000000000000000],\"data_offsets\":[0,0]}}",
                new byte[0]), "'w'", "not a 64-bit integer");
        refused(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,0]}}", new byte[0]),
                "'w'", "not a 64-bit integer");
        refused(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]),
                "'w'", "data_offsets");
    }

    @Test
    void refusesDuplicateTensorNames() throws IOException {
        Path f = header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", f32Bytes(1, 2));
        refused(f, "duplicate", "'w'");
    }

    @Test
    void refusesMetadataThatIsNotStringToString() throws IOException {
        refused(header("{\"__metadata__\":{\"n\":1}}", new byte[0]), "__metadata__", "'n'");
        refused(header("{\"__metadata__\":[\"x\"]}", new byte[0]), "__metadata__");
    }

    @Test
    void refusesTruncatedFileNamingTheTensor() throws IOException {
        Path f = dir.resolve("w.safetensors");
        new SafetensorsWriter()
                .add("first", SafeDType.F32, new float[] {1, 2}, 2)
                .add("last", SafeDType.F32, new float[] {3, 4}, 2)
                .write(f);
        try (RandomAccessFile file = new RandomAccessFile(f.toFile(), "rw")) {
            file.setLength(file.length() - 3);
        }
        refused(f, "'last'", "out of range", "truncated");
    }

    @Test
    void refusesMissingFile() {
        refused(dir.resolve("nope.safetensors"), "not found");
    }

    @Test
    void readsAcrossMappingWindows() throws IOException {
        float[] values = new float[1001]; // [7, 143]
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f - 100f;
        }
        Path f = dir.resolve("w.safetensors");
        new SafetensorsWriter()
                .add("pad", SafeDType.F16, new float[] {1}, 1)
                .add("w16", SafeDType.F16, values, 7, 143)
                .add("w32", SafeDType.F32, values, 7, 143)
                .write(f);
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertArrayEquals(values, st.readFloats("w32"));
            assertArrayEquals(values, st.readFloats("w32", 12)); // 3 floats per window
            assertArrayEquals(values, st.readFloats("w16", 6));
            assertArrayEquals(values, st.readFloats("w16", 2)); // exactly representable in F16
        }
    }

    @Test
    void finiteCheckNamesTheTensorAndIndex() throws CheckpointException {
        Path file = dir.resolve("m.safetensors");
        SafetensorsFile.checkFinite("ok", new float[] {0f, -1e30f, Float.MIN_VALUE}, file);
        CheckpointException nan = assertThrows(CheckpointException.class,
                () -> SafetensorsFile.checkFinite("model.norm.weight", new float[] {1f, Float.NaN}, file));
        assertTrue(nan.getMessage().contains("'model.norm.weight'") && nan.getMessage().contains("index 1")
                && nan.getMessage().contains("NaN"), nan.getMessage());
        CheckpointException inf = assertThrows(CheckpointException.class,
                () -> SafetensorsFile.checkFinite("w", new float[] {Float.NEGATIVE_INFINITY}, file));
        assertTrue(inf.getMessage().contains("'w'") && inf.getMessage().contains("Infinity"), inf.getMessage());
    }

    @Test
    void f16RangeCheckNamesTheTensor() throws CheckpointException {
        Path file = dir.resolve("m.safetensors");
        SafetensorsFile.checkFitsF16("ok", new float[] {65504f, -65504f, 0f}, file);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> SafetensorsFile.checkFitsF16("lm_head.weight", new float[] {1f, 2f, -65505f}, file));
        assertTrue(e.getMessage().contains("'lm_head.weight'") && e.getMessage().contains("index 2")
                && e.getMessage().contains("F16"), e.getMessage());
    }
}
