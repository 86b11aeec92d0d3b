package dev.routelens.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routelens.model.MoeConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Hand-made checkpoint files for the tests: raw safetensors bytes, configs, seeded Mixtral weights. */
final class CheckpointFixtures {

    private CheckpointFixtures() {
    }

    /** Writes {@code declaredLength} (little-endian u64), the header bytes, then {@code data}. */
    static Path raw(Path file, long declaredLength, byte[] header, byte[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(declaredLength).put(header).put(data);
        Files.write(file, buf.array());
        return file;
    }

    /** A well-framed file: the declared length is the header's true length. */
    static Path raw(Path file, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return raw(file, h.length, h, data);
    }

    /** Little-endian float32 bytes. */
    static byte[] f32Bytes(float... values) {
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putFloat(v);
        }
        return buf.array();
    }

    /** A small Mixtral config: V=32, H=8, L=2, nh=2, nkv=1, F=12, E=4, k=2. */
    static ObjectNode tinyConfigJson() {
        return new MoeConfig("mixtral", 32, 8, 2, 2, 1, 12, 4, 2, 1e-5, 10000.0, 64, false, 1, 2).toJson();
    }

    static void writeConfig(Path dir, ObjectNode config) throws IOException {
        Files.writeString(dir.resolve("config.json"), new ObjectMapper().writeValueAsString(config));
    }

    /** Seeded values for every tensor {@code config} implies, in layout order. */
    static Map<String, float[]> seededWeights(MoeConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : MixtralNames.expectedShapes(config).entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] values = new float[(int) n];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * 0.02);
            }
            weights.put(e.getKey(), values);
        }
        return weights;
    }

    /** Writes config.json and a single model.safetensors (F32) for {@code config}; returns the weights. */
    static Map<String, float[]> writeSingleFile(Path dir, ObjectNode configJson, long seed) throws IOException {
        writeConfig(dir, configJson);
        MoeConfig config = MoeConfig.fromJson(configJson);
        Map<String, float[]> weights = seededWeights(config, seed);
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        Map<String, long[]> shapes = MixtralNames.expectedShapes(config);
        weights.forEach((name, values) -> writer.add(name, SafeDType.F32, values, shapes.get(name)));
        writer.write(dir.resolve(Checkpoint.SINGLE_FILE));
        return weights;
    }
}
