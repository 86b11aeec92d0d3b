package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hook names as users type them, spelled out once here: the components' name builders must keep
 * producing exactly these strings (saved studies, scripts and figures refer to them).
 */
class HookNamesTest {

    @Test
    void aQwen2MoeModelWithADenseLayerAndASharedExpertNamesItsSitesAsBefore() throws Exception {
        MoeConfig c = MoeConfig.fromJson(new ObjectMapper().readTree("""
                {"model_type": "qwen2_moe", "vocab_size": 40, "hidden_size": 16, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 24,
                 "moe_intermediate_size": 8, "shared_expert_intermediate_size": 12, "num_experts": 2,
                 "num_experts_per_tok": 1, "mlp_only_layers": [0], "max_position_embeddings": 16}
                """));
        assertEquals(List.of("embed",
                "layers.0.resid.pre", "layers.0.attn.out", "layers.0.resid.mid", "layers.0.mlp.in", "layers.0.mlp.out",
                "layers.0.resid.post",
                "layers.1.resid.pre", "layers.1.attn.out", "layers.1.resid.mid", "layers.1.moe.in", "layers.1.moe.gate",
                "layers.1.moe.probs", "layers.1.moe.topk", "layers.1.moe.topk_weights", "layers.1.moe.experts.0.out",
                "layers.1.moe.experts.1.out", "layers.1.moe.shared", "layers.1.moe.out", "layers.1.resid.post",
                "final.norm", "logits"), MoeTransformer.hookNames(c));
    }

    @Test
    void globsAndLayerParsingFollowTheSameStructure() {
        assertEquals("layers.*.moe.gate", SparseMoe.GATE_EVERY_LAYER);
        assertEquals("layers.*.moe.topk", SparseMoe.TOPK_EVERY_LAYER);
        assertEquals("layers.*.moe.shared", SparseMoe.SHARED_EVERY_LAYER);
        assertEquals("layers.*.resid.mid", DecoderLayer.RESID_MID_EVERY_LAYER);
        assertEquals("layers.3.moe.*", SparseMoe.everySiteOf(3));
        assertEquals("layers.12.resid.mid", new ResumePoint(12, true).hookName());
        assertEquals("layers.12.resid.pre", new ResumePoint(12, false).hookName());
        assertEquals(7, DecoderLayer.layerOf("layers.7.moe.experts.3.out"));
        assertEquals(-1, DecoderLayer.layerOf("logits"));
        assertEquals(-1, DecoderLayer.layerOf("layers.*.moe.gate"));
        assertTrue(SparseMoe.topkFrom(2).test("layers.2.moe.topk"));
        assertFalse(SparseMoe.topkFrom(2).test("layers.1.moe.topk") || SparseMoe.topkFrom(2).test("layers.3.moe.topk_weights"));
    }
}
