package dev.routelens.model.checkpoint;

import static dev.routelens.model.checkpoint.CheckpointFixtures.tinyConfigJson;
import static dev.routelens.model.checkpoint.CheckpointFixtures.writeConfig;
import static dev.routelens.model.checkpoint.CheckpointFixtures.writeSingleFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routelens.model.MoeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CheckpointTest {

    @TempDir
    Path root;

    private Path model() throws IOException {
        return Files.createDirectories(root.resolve("model"));
    }

    /** Opens {@code dir} and validates it, expecting a one-line refusal naming {@code file} and the fragments. */
    private static CheckpointException refused(Path dir, String file, String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> {
            try (Checkpoint c = Checkpoint.open(dir)) {
                c.validate();
            }
        });
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.contains(file), "expected '" + file + "' in: " + msg);
        for (String fragment : fragments) {
            assertTrue(msg.contains(fragment), "expected '" + fragment + "' in: " + msg);
        }
        return e;
    }

    /** Writes the seeded tiny model split over two shards (first half / second half) with an index. */
    private Map<String, float[]> writeSharded(Path dir) throws IOException {
        ObjectNode cfg = tinyConfigJson();
        writeConfig(dir, cfg);
        MoeConfig config = MoeConfig.fromJson(cfg);
        Map<String, float[]> weights = CheckpointFixtures.seededWeights(config, 11);
        Map<String, long[]> shapes = MixtralNames.expectedShapes(config);
        List<String> names = new ArrayList<>(weights.keySet());
        SafetensorsWriter first = new SafetensorsWriter();
        SafetensorsWriter second = new SafetensorsWriter();
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            boolean early = i < names.size() / 2;
            (early ? first : second).add(n, early ? SafeDType.F32 : SafeDType.BF16, weights.get(n), shapes.get(n));
            weightMap.put(n, early ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        first.write(dir.resolve("model-00001-of-00002.safetensors"));
        second.write(dir.resolve("model-00002-of-00002.safetensors"));
        writeIndex(dir, weightMap);
        return weights;
    }

    private static void writeIndex(Path dir, Map<String, String> weightMap) throws IOException {
        ObjectNode index = CheckpointJson.STRICT.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        Files.writeString(dir.resolve(ShardIndex.FILE_NAME), index.toString());
    }

    /** The tiny model as one shard "a.safetensors" holding everything except {@code dropped}, plus an index. */
    private Path oneShardModel(Map<String, String> extraIndexEntries, String dropped) throws IOException {
        Path dir = model();
        ObjectNode cfg = tinyConfigJson();
        writeConfig(dir, cfg);
        MoeConfig config = MoeConfig.fromJson(cfg);
        Map<String, long[]> shapes = MixtralNames.expectedShapes(config);
        SafetensorsWriter w = new SafetensorsWriter();
        Map<String, String> weightMap = new LinkedHashMap<>();
        CheckpointFixtures.seededWeights(config, 3).forEach((n, v) -> {
            if (!n.equals(dropped)) {
                w.add(n, SafeDType.F32, v, shapes.get(n));
            }
            weightMap.put(n, "a.safetensors");
        });
        w.write(dir.resolve("a.safetensors"));
        weightMap.putAll(extraIndexEntries);
        writeIndex(dir, weightMap);
        return dir;
    }

    @Test
    void singleFileLoadsAndValidates() throws IOException {
        Path dir = model();
        Map<String, float[]> weights = writeSingleFile(dir, tinyConfigJson(), 5);
        try (Checkpoint c = Checkpoint.open(dir)) {
            c.validate();
            assertEquals(32, c.config().vocabSize());
            assertEquals(dir, c.directory());
            assertEquals(List.copyOf(weights.keySet()), List.copyOf(c.names()));
            // 1 + 2 layers x (7 + 4 experts x 3) + norm + head
            assertEquals(1 + 2 * (7 + 12) + 2, c.names().size());
            for (Map.Entry<String, float[]> w : weights.entrySet()) {
                assertArrayEquals(w.getValue(), c.readFloats(w.getKey()), w.getKey());
            }
            c.requireShape(MixtralNames.kProj(1), 4, 8); // nkv*hd = 1*4
            assertEquals(SafeDType.F32, c.entry(MixtralNames.gate(0)).dtype());
        }
    }

    /** Gate logits of every layer, packed per batch, in site order. */
    private static final class Gates implements dev.routelens.model.ForwardHooks {
        final List<float[]> seen = new ArrayList<>();

        @Override
        public boolean wants(String name) {
            return name.endsWith(".moe.gate");
        }

        @Override
        public ai.djl.ndarray.NDArray apply(dev.routelens.model.HookSite site, ai.djl.ndarray.NDArray tensor) {
            seen.add(tensor.toFloatArray());
            return null;
        }
    }

    @Test
    void readIntoWidensAsReadFloatsDoesInEveryDtype() throws IOException {
        Path dir = model();
        writeSharded(dir); // F32 and BF16 shards
        try (Checkpoint c = Checkpoint.open(dir)) {
            for (String name : c.names()) {
                float[] want = c.readFloats(name);
                java.nio.FloatBuffer dest = java.nio.FloatBuffer.allocate(want.length + 3);
                dest.position(2);
                c.readInto(name, dest);
                assertEquals(2 + want.length, dest.position(), name);
                float[] got = new float[want.length];
                dest.get(2, got);
                assertArrayEquals(want, got, name);
            }
        }
    }

    @Test
    void shardedCheckpointStreamsLayerByLayerAsInMemory() throws IOException {
        Path dir = model();
        writeSharded(dir);
        var batch = new dev.routelens.model.TokenBatch(List.of(new int[] {1, 5, 9, 3, 7}, new int[] {1, 2}));
        Gates inMemory = new Gates();
        Gates streamed = new Gates();
        double[] want;
        double[] got;
        try (var m = dev.routelens.model.ModelLoader.load(dir, ai.djl.Device.cpu(), dev.routelens.model.Precision.F32)) {
            want = m.forward(batch, inMemory, true).nllSum();
        }
        try (var m = dev.routelens.model.ModelLoader.loadStreamed(dir, ai.djl.Device.cpu(),
                dev.routelens.model.Precision.F32)) {
            got = m.forward(batch, streamed, true).nllSum();
        }
        assertArrayEquals(want, got, 1e-6);
        assertEquals(inMemory.seen.size(), streamed.seen.size());
        for (int i = 0; i < inMemory.seen.size(); i++) {
            assertArrayEquals(inMemory.seen.get(i), streamed.seen.get(i), 1e-6f, "gate logits of layer " + i);
        }
    }

    @Test
    void shardedCheckpointLoads() throws IOException {
        Path dir = model();
        Map<String, float[]> weights = writeSharded(dir);
        try (Checkpoint c = Checkpoint.open(dir)) {
            c.validate();
            assertEquals(weights.keySet(), c.names());
            String early = MixtralNames.embedTokens();
            String late = MixtralNames.lmHead();
            assertEquals("model-00001-of-00002.safetensors", c.fileOf(early).getFileName().toString());
            assertEquals("model-00002-of-00002.safetensors", c.fileOf(late).getFileName().toString());
            assertArrayEquals(weights.get(early), c.readFloats(early));
            float[] head = c.readFloats(late);
            for (int i = 0; i < head.length; i++) { // stored as BF16: read back within half a bf16 ulp
                float w = weights.get(late)[i];
                assertEquals(w, head[i], Math.abs(w) * 0x1p-8f, late + "[" + i + "]");
            }
        }
    }

    @Test
    void tiedEmbeddingsNeedNoLmHead() throws IOException {
        Path dir = model();
        Map<String, float[]> weights = writeSingleFile(dir, tinyConfigJson().put("tie_word_embeddings", true), 6);
        assertFalse(weights.containsKey(MixtralNames.lmHead()));
        try (Checkpoint c = Checkpoint.open(dir)) {
            c.validate();
        }
    }

    @Test
    void refusesWrongShapeNamingBothShapes() throws IOException {
        Path dir = model();
        writeSingleFile(dir, tinyConfigJson(), 7);
        // the config now claims 2 KV heads, so k_proj should be [2*4, 8] but the file has [1*4, 8]
        writeConfig(dir, tinyConfigJson().put("num_key_value_heads", 2));
        refused(dir, "model.safetensors", "'" + MixtralNames.kProj(0) + "'", "[4, 8]", "[8, 8]");
        try (Checkpoint c = Checkpoint.open(dir)) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> c.requireShape(MixtralNames.qProj(0), 8, 9));
            assertTrue(e.getMessage().contains("[8, 8]") && e.getMessage().contains("[8, 9]"), e.getMessage());
        }
    }

    @Test
    void refusesMissingTensor() throws IOException {
        String missing = MixtralNames.expertW2(1, 3);
        Path dir = model();
        MoeConfig config = MoeConfig.fromJson(tinyConfigJson());
        writeConfig(dir, tinyConfigJson());
        Map<String, long[]> shapes = MixtralNames.expectedShapes(config);
        SafetensorsWriter w = new SafetensorsWriter();
        CheckpointFixtures.seededWeights(config, 8).forEach((n, v) -> {
            if (!n.equals(missing)) {
                w.add(n, SafeDType.F16, v, shapes.get(n));
            }
        });
        w.write(dir.resolve(Checkpoint.SINGLE_FILE));
        refused(dir, dir.toString(), "'" + missing + "'", "not present");
        try (Checkpoint c = Checkpoint.open(dir)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> c.readFloats("nope"));
            assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        }
    }

    @Test
    void refusesTensorListedButMissingFromItsShard() throws IOException {
        String dropped = MixtralNames.gate(1);
        Path dir = oneShardModel(Map.of(), dropped);
        refused(dir, ShardIndex.FILE_NAME, "'" + dropped + "'", "missing from shard a.safetensors");
    }

    @Test
    void refusesTensorPresentInTwoShards() throws IOException {
        Path dir = oneShardModel(Map.of(), "");
        // shard b repeats model.norm.weight; the index lists only extra.weight there
        new SafetensorsWriter()
                .add(MixtralNames.finalNorm(), SafeDType.F32, new float[8], 8)
                .add("extra.weight", SafeDType.F32, new float[1], 1)
                .write(dir.resolve("b.safetensors"));
        Map<String, String> map = new LinkedHashMap<>(CheckpointJson.STRICT.convertValue(
                CheckpointJson.STRICT.readTree(dir.resolve(ShardIndex.FILE_NAME).toFile()).get("weight_map"),
                Map.class));
        map.put("extra.weight", "b.safetensors");
        writeIndex(dir, map);
        refused(dir, ShardIndex.FILE_NAME, "'" + MixtralNames.finalNorm() + "'", "two shards", "a.safetensors",
                "b.safetensors");
    }

    @Test
    void refusesTensorInShardButNotInIndex() throws IOException {
        Path dir = oneShardModel(Map.of(), "");
        writeIndex(dir, Map.of(MixtralNames.embedTokens(), "a.safetensors"));
        refused(dir, ShardIndex.FILE_NAME, "'" + MixtralNames.layer(0), "not listed in the index");
    }

    @Test
    void refusesShardThatClimbsOutWithDotDot() throws IOException {
        Path dir = oneShardModel(Map.of("x", "../x.safetensors"), "");
        new SafetensorsWriter().add("x", SafeDType.F32, new float[1], 1).write(root.resolve("x.safetensors"));
        refused(dir, ShardIndex.FILE_NAME, "'x'", "'../x.safetensors'", "..");
        Files.createDirectories(dir.resolve("sub"));
        Path again = oneShardModel(Map.of("x", "sub/../../x.safetensors"), "");
        refused(again, ShardIndex.FILE_NAME, "'x'", "'sub/../../x.safetensors'", "..");
    }

    @Test
    void refusesAbsoluteShardPath() throws IOException {
        Path outside = root.resolve("abs.safetensors").toAbsolutePath();
        new SafetensorsWriter().add("x", SafeDType.F32, new float[1], 1).write(outside);
        Path dir = oneShardModel(Map.of("x", outside.toString()), "");
        refused(dir, ShardIndex.FILE_NAME, "'x'", "absolute");
    }

    @Test
    void refusesSymlinkedShardPointingOutside() throws IOException {
        Path outside = Files.createDirectories(root.resolve("elsewhere")).resolve("real.safetensors");
        new SafetensorsWriter().add("x", SafeDType.F32, new float[1], 1).write(outside);
        Path dir = oneShardModel(Map.of("x", "linked.safetensors"), "");
        Files.createSymbolicLink(dir.resolve("linked.safetensors"), outside);
        refused(dir, ShardIndex.FILE_NAME, "'linked.safetensors'", "outside the model directory");
        // a symlinked directory counts too
        Files.createSymbolicLink(dir.resolve("subdir"), outside.getParent());
        Map<String, String> map = new LinkedHashMap<>();
        MixtralNames.expectedShapes(MoeConfig.fromJson(tinyConfigJson())).keySet().forEach(n -> map.put(n, "a.safetensors"));
        map.put("x", "subdir/real.safetensors");
        writeIndex(dir, map);
        refused(dir, ShardIndex.FILE_NAME, "'subdir/real.safetensors'", "outside the model directory");
    }

    @Test
    void refusesSingleFileSymlinkedOutside() throws IOException {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        writeSingleFile(elsewhere, tinyConfigJson(), 14);
        Path dir = model();
        writeConfig(dir, tinyConfigJson());
        Files.createSymbolicLink(dir.resolve(Checkpoint.SINGLE_FILE), elsewhere.resolve(Checkpoint.SINGLE_FILE));
        refused(dir, Checkpoint.SINGLE_FILE, "outside the model directory");
    }

    @Test
    void acceptsSymlinkedShardInsideTheDirectory() throws IOException {
        Path dir = oneShardModel(Map.of(), "");
        Files.move(dir.resolve("a.safetensors"), dir.resolve("blob"));
        Files.createSymbolicLink(dir.resolve("a.safetensors"), dir.resolve("blob"));
        try (Checkpoint c = Checkpoint.open(dir)) {
            c.validate();
        }
    }

    @Test
    void refusesMissingShardAndMalformedIndex() throws IOException {
        Path dir = oneShardModel(Map.of("x", "gone.safetensors"), "");
        refused(dir, ShardIndex.FILE_NAME, "shard 'gone.safetensors' not found");
        Files.writeString(dir.resolve(ShardIndex.FILE_NAME), "{\"weight_map\": ");
        refused(dir, ShardIndex.FILE_NAME, "not valid JSON");
        Files.writeString(dir.resolve(ShardIndex.FILE_NAME), "{\"metadata\": {}}");
        refused(dir, ShardIndex.FILE_NAME, "weight_map");
        Files.writeString(dir.resolve(ShardIndex.FILE_NAME), "{\"weight_map\": {\"a\": 3}}");
        refused(dir, ShardIndex.FILE_NAME, "'a'", "not a string");
        Files.writeString(dir.resolve(ShardIndex.FILE_NAME), "{\"weight_map\": {\"a\": \"x\", \"a\": \"y\"}}");
        refused(dir, ShardIndex.FILE_NAME, "duplicate", "'a'");
        Files.writeString(dir.resolve(ShardIndex.FILE_NAME), "{\"weight_map\": {\"a\": \"x\\u0000y\"}}");
        refused(dir, ShardIndex.FILE_NAME, "'a'", "not a valid path");
        Files.delete(dir.resolve(ShardIndex.FILE_NAME));
        refused(dir, dir.toString(), "neither");
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of((Consumer<ObjectNode>) c -> c.remove("hidden_size"), "missing hidden_size"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("vocab_size", 0), "vocab_size must lie in [1, "),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("rope_theta", 1e-300), "rope_theta must lie in"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("rms_norm_eps", 5.0), "rms_norm_eps must lie in"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("num_hidden_layers", 1_000_000_000),
                        "num_hidden_layers must lie in [1, 4096]"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("tie_word_embeddings", "yes"),
                        "tie_word_embeddings must be true or false"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("hidden_act", "gelu"), "hidden_act 'gelu'"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("sliding_window", 16), "sliding_window 16"),
                Arguments.of((Consumer<ObjectNode>) c -> c.putObject("rope_scaling").put("rope_type", "dynamic")
                        .put("factor", 2.0), "rope_scaling.rope_type 'dynamic'"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("num_hidden_layers", -3), "num_hidden_layers"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("num_attention_heads", 3), "does not divide hidden_size"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("num_key_value_heads", 3), "num_key_value_heads"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("num_experts_per_tok", 5), "exceeds num_experts"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("intermediate_size", "big"), "intermediate_size"),
                Arguments.of((Consumer<ObjectNode>) c -> c.put("model_type", "llama"), "model_type"));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void refusesBadConfig(Consumer<ObjectNode> spoil, String fragment) throws IOException {
        Path dir = model();
        writeSingleFile(dir, tinyConfigJson(), 9);
        ObjectNode cfg = tinyConfigJson();
        spoil.accept(cfg);
        writeConfig(dir, cfg);
        CheckpointException e = refused(dir, "config.json", fragment);
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json").toString()), e.getMessage());
    }

    @Test
    void refusesLayerCountThatDisagreesWithTheTensorsInBothLayouts() throws IOException {
        for (boolean sharded : new boolean[] {false, true}) {
            Path dir = model();
            if (sharded) {
                writeSharded(dir);
            } else {
                writeSingleFile(dir, tinyConfigJson(), 12);
            }
            for (int layers : new int[] {1, 3}) {
                ObjectNode cfg = tinyConfigJson();
                cfg.put("num_hidden_layers", layers);
                writeConfig(dir, cfg);
                refused(dir, "config.json", "num_hidden_layers is " + layers, "name 2 layers");
            }
        }
    }

    @Test
    void refusesTensorsTheConfigDoesNotUseInBothLayouts() throws IOException {
        for (boolean sharded : new boolean[] {false, true}) {
            Path dir = model();
            if (sharded) {
                writeSharded(dir);
            } else {
                writeSingleFile(dir, tinyConfigJson(), 13);
            }
            ObjectNode fewerExperts = tinyConfigJson();
            fewerExperts.put("num_local_experts", 3);
            writeConfig(dir, fewerExperts);
            refused(dir, "experts.3.", "is not part of a Mixtral / SciDFM model", "more unused tensors");
        }
        Path dir = model();
        ObjectNode cfg = tinyConfigJson();
        writeConfig(dir, cfg);
        MoeConfig config = MoeConfig.fromJson(cfg);
        Map<String, long[]> shapes = MixtralNames.expectedShapes(config);
        SafetensorsWriter w = new SafetensorsWriter();
        CheckpointFixtures.seededWeights(config, 14).forEach((n, v) -> w.add(n, SafeDType.F32, v, shapes.get(n)));
        w.add("lm_head.bias", SafeDType.F32, new float[config.vocabSize()], config.vocabSize());
        w.add("model.rotary_emb.inv_freq", SafeDType.F32, new float[2], 2);
        w.write(dir.resolve(Checkpoint.SINGLE_FILE));
        refused(dir, "'lm_head.bias'", "is not part of");
    }

    @Test
    void refusesAbsurdLayerCountAtOnce() throws IOException {
        Path dir = model();
        writeSingleFile(dir, tinyConfigJson(), 15);
        ObjectNode cfg = tinyConfigJson();
        cfg.put("num_hidden_layers", 4096);
        writeConfig(dir, cfg);
        long start = System.nanoTime();
        refused(dir, "config.json", "num_hidden_layers is 4096");
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "the refusal took over a second");
    }

    @Test
    void refusesConfigThatIsMissingOrNotJson() throws IOException {
        Path dir = model();
        writeSingleFile(dir, tinyConfigJson(), 10);
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 32,");
        refused(dir, "config.json", "not valid JSON");
        Files.writeString(dir.resolve("config.json"), "[]");
        refused(dir, "config.json", "JSON object");
        Files.writeString(dir.resolve("config.json"), "");
        refused(dir, "config.json");
        Files.delete(dir.resolve("config.json"));
        refused(dir, "config.json", "not found");
        refused(root.resolve("absent"), "absent", "not a directory");
    }

    @Test
    void nanWeightIsRefusedNamingTheTensor() throws IOException {
        Path dir = model();
        Map<String, float[]> weights = writeSingleFile(dir, tinyConfigJson(), 12);
        String victim = MixtralNames.expertW3(0, 2);
        float[] spoiled = weights.get(victim).clone();
        spoiled[5] = Float.NaN;
        // the writer refuses NaN, so spoil the bytes on disk: find the tensor and overwrite one float
        long offset;
        try (Checkpoint c = Checkpoint.open(dir)) {
            offset = c.entry(victim).begin();
        }
        byte[] bytes = Files.readAllBytes(dir.resolve(Checkpoint.SINGLE_FILE));
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        int at = (int) (8 + headerLength + offset + 5 * 4);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(at, Float.NaN);
        Files.write(dir.resolve(Checkpoint.SINGLE_FILE), bytes);
        try (Checkpoint c = Checkpoint.open(dir)) {
            float[] read = c.readFloats(victim);
            assertTrue(Float.isNaN(read[5]));
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> SafetensorsFile.checkFinite(victim, read, c.fileOf(victim)));
            assertTrue(e.getMessage().contains("'" + victim + "'") && e.getMessage().contains("index 5")
                    && e.getMessage().contains("model.safetensors"), e.getMessage());
            SafetensorsFile.checkFinite(MixtralNames.expertW3(0, 1), c.readFloats(MixtralNames.expertW3(0, 1)), dir);
        }
    }

    @Test
    void f16OverflowIsRefusedNamingTheTensor() throws IOException {
        Path dir = model();
        ObjectNode cfg = tinyConfigJson();
        writeConfig(dir, cfg);
        MoeConfig config = MoeConfig.fromJson(cfg);
        Map<String, long[]> shapes = MixtralNames.expectedShapes(config);
        Map<String, float[]> weights = CheckpointFixtures.seededWeights(config, 13);
        weights.get(MixtralNames.finalNorm())[3] = 1e5f; // fine in F32, infinite in F16
        SafetensorsWriter w = new SafetensorsWriter();
        weights.forEach((n, v) -> w.add(n, SafeDType.F32, v, shapes.get(n)));
        w.write(dir.resolve(Checkpoint.SINGLE_FILE));
        try (Checkpoint c = Checkpoint.open(dir)) {
            c.validate();
            for (String name : c.names()) {
                float[] v = c.readFloats(name);
                if (name.equals(MixtralNames.finalNorm())) {
                    CheckpointException e = assertThrows(CheckpointException.class,
                            () -> SafetensorsFile.checkFitsF16(name, v, c.fileOf(name)));
                    assertTrue(e.getMessage().contains("'model.norm.weight'") && e.getMessage().contains("index 3"),
                            e.getMessage());
                } else {
                    SafetensorsFile.checkFitsF16(name, v, c.fileOf(name));
                }
            }
        }
    }
}
