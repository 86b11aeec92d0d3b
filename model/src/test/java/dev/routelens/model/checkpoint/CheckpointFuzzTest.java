package dev.routelens.model.checkpoint;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz targets for the parsers: whatever the bytes, the only exception that may escape is
 * {@link CheckpointException}. {@code mvn verify} replays the seeds under
 * {@code src/test/resources/dev/routelens/model/checkpoint/CheckpointFuzzTestInputs/<method>/}; to fuzz,
 * see the package documentation ({@code JAZZER_FUZZ=1 mvn -pl model test -Dtest='CheckpointFuzzTest#openSafetensors'}).
 */
class CheckpointFuzzTest {

    private static Path work;

    @BeforeAll
    static void createWorkDir() throws IOException {
        work = Files.createTempDirectory("routelens-fuzz");
        // a valid tiny model for the index target: config plus two shards the index may name
        Path model = Files.createDirectories(work.resolve("model"));
        CheckpointFixtures.writeConfig(model, CheckpointFixtures.tinyConfigJson());
        new SafetensorsWriter().add("a", SafeDType.F32, new float[] {1, 2}, 2).write(model.resolve("s1.safetensors"));
        new SafetensorsWriter().add("b", SafeDType.BF16, new float[] {3}, 1).write(model.resolve("s2.safetensors"));
        Files.createDirectories(work.resolve("outside"));
        new SafetensorsWriter().add("c", SafeDType.F16, new float[] {4}, 1).write(work.resolve("outside/o.safetensors"));
        Files.createSymbolicLink(model.resolve("link.safetensors"), work.resolve("outside/o.safetensors"));
    }

    @AfterAll
    static void deleteWorkDir() throws IOException {
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Arbitrary bytes as a safetensors file. The last input byte picks whether to prefix a header length
     * that matches the body, so the fuzzer also gets past the length check into the JSON and offsets.
     */
    @FuzzTest(maxDuration = "5m")
    void openSafetensors(FuzzedDataProvider data) throws IOException {
        boolean frame = data.consumeBoolean();
        int headerLength = data.consumeInt(0, 4096);
        byte[] body = data.consumeRemainingAsBytes();
        byte[] bytes = body;
        if (frame) {
            bytes = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(Math.min(headerLength, body.length)).put(body).array();
        }
        Path file = work.resolve("fuzz.safetensors");
        Files.write(file, bytes);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (String name : st.entries().keySet()) {
                float[] values = st.readFloats(name);
                if (values.length != st.entry(name).elementCount()) {
                    throw new AssertionError("read " + values.length + " values for " + st.entry(name));
                }
                SafetensorsFile.checkFinite(name, values, file);
            }
        } catch (CheckpointException expected) {
            if (expected.getMessage().contains("\n") || !expected.getMessage().startsWith(file.toString())) {
                throw new AssertionError("message must be one line naming the file: " + expected.getMessage());
            }
        }
    }

    /** Arbitrary bytes as {@code model.safetensors.index.json} next to a valid config and two shards. */
    @FuzzTest(maxDuration = "5m")
    void openIndexedCheckpoint(byte[] index) throws IOException {
        Path model = work.resolve("model");
        Files.write(model.resolve(ShardIndex.FILE_NAME), index);
        try (Checkpoint c = Checkpoint.open(model)) {
            for (String name : c.names()) {
                c.readFloats(name);
            }
            c.validate(); // always refused: the shards hold no Mixtral tensors
            throw new AssertionError("validate accepted a checkpoint without Mixtral tensors");
        } catch (CheckpointException expected) {
            if (expected.getMessage().contains("\n")) {
                throw new AssertionError("message must be one line: " + expected.getMessage());
            }
        }
    }
}
