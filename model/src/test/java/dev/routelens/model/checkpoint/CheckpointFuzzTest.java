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

    /** Arbitrary bytes as {@code config.json}: a config of some family, or a one-line refusal naming the file. */
    @FuzzTest(maxDuration = "5m")
    void readConfig(byte[] json) throws IOException {
        Path file = work.resolve("config.json");
        Files.write(file, json);
        checkConfig(file);
    }

    /**
     * A config object built key by key from the fields the families read (and some they refuse), with values
     * of any JSON type, so the fuzzer reaches the mapping and validation rather than stopping at the parser.
     */
    @FuzzTest(maxDuration = "5m")
    void mapConfig(FuzzedDataProvider data) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode o = CheckpointJson.STRICT.createObjectNode();
        o.put("model_type", data.pickValue(new String[] {"mixtral", "SciDFM", "olmoe", "qwen2_moe", "qwen3_moe",
            "deepseek_v3", "llama"}));
        String[] keys = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
            "intermediate_size", "moe_intermediate_size", "shared_expert_intermediate_size", "num_experts",
            "num_local_experts", "num_experts_per_tok", "head_dim", "rms_norm_eps", "rope_theta", "rope_parameters",
            "rope_scaling", "max_position_embeddings", "tie_word_embeddings", "norm_topk_prob", "clip_qkv",
            "qkv_bias", "attention_bias", "mlp_only_layers", "decoder_sparse_step", "use_sliding_window",
            "sliding_window", "layer_types", "hidden_act", "bos_token_id", "eos_token_id"};
        while (data.remainingBytes() > 2) {
            String key = data.pickValue(keys);
            switch (data.consumeInt(0, 6)) {
                case 0 -> o.put(key, data.consumeInt(-2, 300));
                case 1 -> o.put(key, data.consumeDouble());
                case 2 -> o.put(key, data.consumeBoolean());
                case 3 -> o.putNull(key);
                case 4 -> o.put(key, data.consumeString(12));
                case 5 -> o.putArray(key).add(data.consumeInt(-1, 8)).add(data.consumeString(8));
                default -> o.putObject(key).put("rope_type", data.consumeString(8)).put("rope_theta", data.consumeDouble());
            }
        }
        Path file = work.resolve("config.json");
        Files.writeString(file, o.toString());
        checkConfig(file);
    }

    /** Reads {@code file}: a valid config must be self-consistent; anything else a one-line refusal naming it. */
    private static void checkConfig(Path file) {
        try {
            dev.routelens.model.MoeConfig c = Checkpoint.readConfig(file);
            if (c.moeLayers().length == 0 || c.headDim() % 2 != 0 || c.topK() > c.numExperts()
                    || c.expertChoiceWidth() != c.moeLayers().length * c.numExperts() || c.parameterCount() <= 0) {
                throw new AssertionError("inconsistent config accepted: " + c);
            }
            if (c.numLayers() <= 64 && c.numExperts() <= 64) {
                c.family().tensorNames().expectedShapes(c);
            }
        } catch (CheckpointException expected) {
            String msg = expected.getMessage();
            if (msg.contains("\n") || !msg.startsWith(file.toString())
                    || msg.matches(".*\\b[A-Z]\\w*(Exception|Error)\\b.*")) {
                throw new AssertionError("message must be one line naming the file, in the user's terms: " + msg);
            }
        }
    }
}
