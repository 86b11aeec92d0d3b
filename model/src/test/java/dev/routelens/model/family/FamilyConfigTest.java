package dev.routelens.model.family;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.QkNorm;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Config mapping per family: both transformers generations, HF's own defaults where a key is absent, and a
 * one-line refusal naming every field whose arithmetic is not implemented. The HF fixtures
 * (HfFamilyFixturesTest) check the numbers; this checks the reading.
 */
class FamilyConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode base(String type) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model_type", type);
        o.put("vocab_size", 128);
        o.put("hidden_size", 32);
        o.put("num_hidden_layers", 4);
        o.put("num_attention_heads", 4);
        o.put("num_key_value_heads", 2);
        o.put("intermediate_size", 48);
        o.put(type.equals("mixtral") ? "num_local_experts" : "num_experts", 8);
        o.put("num_experts_per_tok", 2);
        return o;
    }

    private static MoeConfig read(ObjectNode o) {
        return MoeConfig.fromJson(o);
    }

    @Test
    void mixtralOfTransformers5ReadsRopeParametersAndHfDefaults() {
        ObjectNode o = base("mixtral");
        o.putObject("rope_parameters").put("rope_theta", 5e5).put("rope_type", "default");
        o.putNull("head_dim");
        o.putNull("sliding_window");
        MoeConfig c = read(o);
        assertEquals(5e5, c.ropeTheta());
        assertEquals(1e-5, c.rmsNormEps(), "MixtralConfig's default eps");
        assertEquals(8, c.headDim());
        o.remove("rope_parameters");
        assertEquals(1e6, read(o).ropeTheta(), "MixtralConfig's default_theta");
        o.remove("num_key_value_heads");
        o.put("num_attention_heads", 16);
        assertEquals(8, read(o).numKvHeads(), "MixtralConfig's default KV heads is 8, not the head count");
    }

    @Test
    void generationsThatDisagreeAreRefused() {
        ObjectNode o = base("qwen3_moe");
        o.put("rope_theta", 1e4);
        o.putObject("rope_parameters").put("rope_theta", 1e6);
        var e = assertThrows(IllegalArgumentException.class, () -> read(o));
        assertTrue(e.getMessage().contains("rope_theta") && e.getMessage().contains("disagree"), e.getMessage());
    }

    @Test
    void qwenDenseLayersFollowHfRule() {
        ObjectNode o = base("qwen2_moe");
        o.put("num_hidden_layers", 6);
        o.put("decoder_sparse_step", 2);
        o.putArray("mlp_only_layers").add(3);
        MoeConfig c = read(o);
        assertArrayEquals(new int[] {1, 5}, c.moeLayers());
        assertEquals(List.of(0, 2, 3, 4), c.arch().denseLayers());
        assertEquals(2 * 8, c.expertChoiceWidth());
        assertEquals(5632, c.arch().sharedExpertSize(), "Qwen2MoeConfig's default shared expert");
        assertTrue(c.arch().qkvBias(), "qkv_bias defaults to true");
        assertFalse(c.arch().outputBias(), "o_proj never has a bias in Qwen2-MoE");
        assertFalse(c.arch().normTopkProb());
    }

    @Test
    void familySpecificsAreRead() {
        ObjectNode olmoe = base("olmoe");
        olmoe.put("clip_qkv", 8.0);
        olmoe.putNull("bos_token_id");
        MoeConfig o = read(olmoe);
        assertEquals(QkNorm.FULL_WIDTH, o.arch().qkNorm());
        assertEquals(8.0, o.arch().clipQkv());
        assertEquals(-1, o.bosId());
        assertEquals(1e-5, o.rmsNormEps(), "OlmoeConfig's default eps");

        ObjectNode qwen3 = base("qwen3_moe");
        qwen3.put("head_dim", 12);
        qwen3.put("norm_topk_prob", true);
        qwen3.put("num_local_experts", 8); // 5.18 writes this spelling; it must agree with num_experts
        MoeConfig q = read(qwen3);
        assertEquals(12, q.headDim());
        assertEquals(QkNorm.PER_HEAD, q.arch().qkNorm());
        assertTrue(q.arch().normTopkProb());
        assertEquals(1e-6, q.rmsNormEps(), "Qwen3MoeConfig's default eps");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("mixtral", (Consumer<ObjectNode>) o -> o.put("clip_qkv", 4.0), "clip_qkv"),
                Arguments.of("mixtral", (Consumer<ObjectNode>) o -> o.put("sliding_window", 64), "sliding_window"),
                Arguments.of("qwen2_moe", (Consumer<ObjectNode>) o -> {
                    o.put("use_sliding_window", true);
                    o.put("sliding_window", 128);
                }, "sliding_window"),
                Arguments.of("qwen3_moe", (Consumer<ObjectNode>) o -> o.putArray("layer_types").add("full_attention")
                        .add("sliding_attention"), "layer_types[1]"),
                Arguments.of("olmoe", (Consumer<ObjectNode>) o -> o.putObject("rope_parameters")
                        .put("rope_type", "yarn").put("rope_theta", 1e4), "rope_parameters.rope_type 'yarn'"),
                Arguments.of("mixtral", (Consumer<ObjectNode>) o -> o.putObject("rope_scaling").put("type", "linear")
                        .put("factor", 2.0), "rope_scaling.rope_type 'linear'"),
                Arguments.of("olmoe", (Consumer<ObjectNode>) o -> o.put("hidden_act", "gelu"), "hidden_act 'gelu'"),
                Arguments.of("olmoe", (Consumer<ObjectNode>) o -> o.put("shared_expert_intermediate_size", 64),
                        "shared_expert_intermediate_size"),
                Arguments.of("olmoe", (Consumer<ObjectNode>) o -> o.put("head_dim", 16), "full-width q/k norm"),
                Arguments.of("qwen3_moe", (Consumer<ObjectNode>) o -> o.put("num_local_experts", 16), "disagree"),
                Arguments.of("qwen2_moe", (Consumer<ObjectNode>) o -> o.putArray("mlp_only_layers").add(0).add(1)
                        .add(2).add(3), "no router"),
                Arguments.of("qwen2_moe", (Consumer<ObjectNode>) o -> o.putArray("mlp_only_layers").add(9),
                        "mlp_only_layers names layer 9"),
                Arguments.of("mixtral", (Consumer<ObjectNode>) o -> o.put("routed_scaling_factor", 2.5),
                        "routed_scaling_factor"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("refusals")
    void refusesWhatItDoesNotImplementByName(String type, Consumer<ObjectNode> edit, String named) {
        ObjectNode o = base(type);
        edit.accept(o);
        var e = assertThrows(IllegalArgumentException.class, () -> read(o));
        assertTrue(e.getMessage().contains(named), "expected '" + named + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void unimplementedFamiliesAreRefusedWithWhatTheyNeed() {
        var deepseek = assertThrows(IllegalArgumentException.class, () -> read(base("deepseek_v3")));
        assertTrue(deepseek.getMessage().contains("latent attention"), deepseek.getMessage());
        var gptOss = assertThrows(IllegalArgumentException.class, () -> read(base("gpt_oss")));
        assertTrue(gptOss.getMessage().contains("router biases"), gptOss.getMessage());
        var phi = assertThrows(IllegalArgumentException.class, () -> read(base("phimoe")));
        assertTrue(phi.getMessage().contains("sparsemixer"), phi.getMessage());
        var granite = assertThrows(IllegalArgumentException.class, () -> read(base("granitemoe")));
        assertTrue(granite.getMessage().contains("multipliers"), granite.getMessage());
        var llama = assertThrows(IllegalArgumentException.class, () -> read(base("llama")));
        assertTrue(llama.getMessage().contains("olmoe, qwen2_moe, qwen3_moe"), llama.getMessage());
    }
}
