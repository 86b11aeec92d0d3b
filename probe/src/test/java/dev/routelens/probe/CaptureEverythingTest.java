package dev.routelens.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.SparseMoe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Capturing every site yields {@link MoeTransformer#hookNames()} for each document, in forward order. The one
 * legitimate gap: a routed expert that no token of the document's batch chose is never run, so
 * {@code moe.experts.{j}.out} is absent (an expert chosen only by other documents of the batch gives a 0-row
 * tensor). The long documents here use every expert, so their names are exactly the model's list.
 */
class CaptureEverythingTest {
    static final String QWEN2_MOE = """
            {"model_type": "qwen2_moe", "vocab_size": 40, "hidden_size": 16, "num_hidden_layers": 3,
             "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 24,
             "moe_intermediate_size": 8, "shared_expert_intermediate_size": 12, "num_experts": 4,
             "num_experts_per_tok": 2, "norm_topk_prob": false, "mlp_only_layers": [0],
             "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "qkv_bias": true}
            """;

    static Stream<Arguments> layouts() throws Exception {
        return Stream.of(Arguments.of("mixtral-like", ProbeTest.CONFIG),
                Arguments.of("qwen2-moe-like, shared expert, dense layer 0",
                        MoeConfig.fromJson(new ObjectMapper().readTree(QWEN2_MOE))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void everyDocumentCapturesExactlyTheModelsHookNamesInOrder(String layout, MoeConfig config) throws Exception {
        Random r = new Random(3);
        List<int[]> docs = new ArrayList<>();
        for (int len : new int[] {60, 64, 57}) {
            docs.add(r.ints(len, 0, config.vocabSize()).toArray());
        }
        try (MoeTransformer model = MoeTransformer.create(config, new RandomWeights(4, 0.3), Device.cpu(), Precision.F32)) {
            ActivationCache cache = new Probe(model).runWithCache(docs, NameFilter.all());
            for (int d = 0; d < docs.size(); d++) {
                for (int l : config.moeLayers()) {
                    long used = Arrays.stream(cache.get(d, SparseMoe.topk(l)).longs()).distinct().count(); // [T*k] ids
                    assertEquals(config.numExperts(), used, layout + ": document " + d + " uses every expert of layer " + l);
                }
                assertEquals(model.hookNames(), List.copyOf(cache.names(d)), layout + ": document " + d);
            }
        }
    }
}
