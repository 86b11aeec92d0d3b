package dev.routelens.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Typed reads of one HF {@code config.json} for a family's mapping. A missing key takes the default of that
 * family's HF config class, which each family file names next to the call (so a value is never made up);
 * a key the family's arithmetic depends on but RouteLens does not implement is refused by name.
 *
 * <p>Reads both generations: transformers 4.x writes {@code rope_theta} (and {@code rope_scaling}) at the
 * top level, 5.x writes {@code rope_parameters: {rope_theta, rope_type}}.
 */
final class HfConfig {

    /**
     * Fields some family's arithmetic depends on, each with the value that changes nothing. A family that
     * implements one reads it itself and lists it in {@link #refuseForeign}'s argument; anywhere else a
     * non-neutral value is refused rather than ignored.
     */
    private static final Map<String, Predicate<JsonNode>> ARITHMETIC_FIELDS = Map.ofEntries(
            Map.entry("clip_qkv", HfConfig::isNull),
            Map.entry("qkv_bias", n -> isNull(n) || n.isBoolean() && !n.booleanValue()),
            Map.entry("attention_bias", n -> isNull(n) || n.isBoolean() && !n.booleanValue()),
            Map.entry("mlp_bias", n -> isNull(n) || n.isBoolean() && !n.booleanValue()),
            Map.entry("shared_expert_intermediate_size", n -> isNull(n) || n.isNumber() && n.intValue() == 0),
            Map.entry("mlp_only_layers", n -> isNull(n) || n.isArray() && n.isEmpty()),
            Map.entry("decoder_sparse_step", n -> isNull(n) || n.isNumber() && n.intValue() == 1),
            Map.entry("use_sliding_window", n -> isNull(n) || n.isBoolean() && !n.booleanValue()),
            Map.entry("partial_rotary_factor", n -> isNull(n) || n.isNumber() && n.doubleValue() == 1.0),
            Map.entry("attn_logit_softcapping", HfConfig::isNull),
            Map.entry("final_logit_softcapping", HfConfig::isNull),
            Map.entry("embedding_multiplier", n -> isNull(n) || n.isNumber() && n.doubleValue() == 1.0),
            Map.entry("residual_multiplier", n -> isNull(n) || n.isNumber() && n.doubleValue() == 1.0),
            Map.entry("logits_scaling", n -> isNull(n) || n.isNumber() && n.doubleValue() == 1.0),
            Map.entry("attention_multiplier", HfConfig::isNull),
            Map.entry("routed_scaling_factor", n -> isNull(n) || n.isNumber() && n.doubleValue() == 1.0),
            Map.entry("n_shared_experts", n -> isNull(n) || n.isNumber() && n.intValue() == 0),
            Map.entry("first_k_dense_replace", n -> isNull(n) || n.isNumber() && n.intValue() == 0),
            Map.entry("router_bias", n -> isNull(n) || n.isBoolean() && !n.booleanValue()),
            Map.entry("pretraining_tp", n -> isNull(n) || n.isNumber() && n.intValue() == 1),
            Map.entry("qk_layernorm", n -> isNull(n) || n.isBoolean() && !n.booleanValue()),
            Map.entry("use_qk_norm", n -> isNull(n) || n.isBoolean() && !n.booleanValue()));

    private final JsonNode root;

    HfConfig(JsonNode root) {
        this.root = root;
    }

    /** Refuses any field of {@link #ARITHMETIC_FIELDS} with a non-neutral value that the family does not read. */
    void refuseForeign(Set<String> implemented) {
        for (var field : ARITHMETIC_FIELDS.entrySet()) {
            JsonNode n = root.get(field.getKey());
            if (!implemented.contains(field.getKey()) && n != null && !field.getValue().test(n)) {
                throw new IllegalArgumentException(field.getKey() + " = " + n
                        + " changes the arithmetic and is not implemented for this model_type");
            }
        }
    }

    /** An integer that must be present. */
    int requiredInt(String key) {
        JsonNode n = root.get(key);
        if (isNull(n)) {
            throw new IllegalArgumentException("missing " + key);
        }
        return intValue(key, n);
    }

    /** An integer, or the family's HF default when absent or null. */
    int intOr(String key, int familyDefault) {
        JsonNode n = root.get(key);
        return isNull(n) ? familyDefault : intValue(key, n);
    }

    /** The first present of two spellings HF maps onto one attribute (its {@code attribute_map}); both must agree. */
    int aliasedInt(String key, String alias) {
        JsonNode a = root.get(key);
        JsonNode b = root.get(alias);
        if (isNull(a) && isNull(b)) {
            throw new IllegalArgumentException("missing " + key);
        }
        if (!isNull(a) && !isNull(b) && intValue(key, a) != intValue(alias, b)) {
            throw new IllegalArgumentException(key + " (" + a + ") and " + alias + " (" + b + ") disagree");
        }
        return isNull(a) ? intValue(alias, b) : intValue(key, a);
    }

    /** A number, or the family's HF default when absent or null. */
    double doubleOr(String key, double familyDefault) {
        JsonNode n = root.get(key);
        if (isNull(n)) {
            return familyDefault;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + n);
        }
        return n.doubleValue();
    }

    /** A number that must be present. */
    double requiredDouble(String key) {
        if (isNull(root.get(key))) {
            throw new IllegalArgumentException("missing " + key);
        }
        return doubleOr(key, Double.NaN);
    }

    /** A boolean, or the family's HF default when absent or null. */
    boolean boolOr(String key, boolean familyDefault) {
        JsonNode n = root.get(key);
        if (isNull(n)) {
            return familyDefault;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, got " + n);
        }
        return n.booleanValue();
    }

    /** A list of layer indices, empty when absent or null. */
    List<Integer> intList(String key) {
        JsonNode n = root.get(key);
        List<Integer> out = new ArrayList<>();
        if (isNull(n)) {
            return out;
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(key + " must be a list of integers, got " + n);
        }
        for (JsonNode e : n) {
            out.add(intValue(key, e));
        }
        return out;
    }

    /** A special token id: the family default when absent, -1 when null, the first of a list. */
    int tokenId(String key, int familyDefault) {
        JsonNode n = root.get(key);
        if (n == null) {
            return familyDefault;
        }
        if (n.isNull()) {
            return -1;
        }
        if (n.isArray()) {
            return n.isEmpty() ? -1 : intValue(key, n.get(0));
        }
        return intValue(key, n);
    }

    /** Per-head width: {@code head_dim} when given, else hidden / heads, which must divide. */
    int headDim(int hidden, int heads) {
        JsonNode n = root.get("head_dim");
        if (!isNull(n)) {
            return intValue("head_dim", n);
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + heads + ") does not divide hidden_size ("
                    + hidden + ") and no head_dim is given");
        }
        return hidden / heads;
    }

    /** Refuses an activation other than SiLU, the only one the SwiGLU experts implement. */
    void requireSilu() {
        JsonNode n = root.get("hidden_act");
        if (!isNull(n) && !"silu".equals(n.asText())) {
            throw new IllegalArgumentException("hidden_act '" + n.asText() + "' is not implemented (only silu)");
        }
    }

    /**
     * The RoPE base from either generation: {@code rope_parameters.rope_theta} (5.x) or top-level
     * {@code rope_theta} (4.x), else the family's HF default. Any RoPE type but the default (scaling such as
     * linear, dynamic, YaRN, llama3, longrope) is refused by name, as are two generations that disagree.
     */
    double ropeTheta(double familyDefault) {
        JsonNode params = root.get("rope_parameters");
        JsonNode scaling = root.get("rope_scaling");
        requireDefaultRope("rope_parameters", params);
        requireDefaultRope("rope_scaling", scaling);
        double top = doubleOr("rope_theta", Double.NaN);
        double nested = Double.NaN;
        if (!isNull(params)) {
            JsonNode t = params.get("rope_theta");
            if (!isNull(t)) {
                if (!t.isNumber()) {
                    throw new IllegalArgumentException("rope_parameters.rope_theta must be a number, got " + t);
                }
                nested = t.doubleValue();
            }
        }
        if (!Double.isNaN(top) && !Double.isNaN(nested) && top != nested) {
            throw new IllegalArgumentException("rope_theta " + top + " and rope_parameters.rope_theta " + nested
                    + " disagree");
        }
        return !Double.isNaN(nested) ? nested : !Double.isNaN(top) ? top : familyDefault;
    }

    private static void requireDefaultRope(String key, JsonNode n) {
        if (isNull(n)) {
            return;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException(key + " must be an object, got " + n);
        }
        JsonNode type = n.has("rope_type") ? n.get("rope_type") : n.get("type");
        String t = isNull(type) ? "default" : type.asText();
        if (!t.equals("default")) {
            throw new IllegalArgumentException(key + ".rope_type '" + t + "' is not implemented (only default RoPE)");
        }
        JsonNode partial = n.get("partial_rotary_factor");
        if (!isNull(partial) && partial.doubleValue() != 1.0) {
            throw new IllegalArgumentException(key + ".partial_rotary_factor " + partial + " is not implemented");
        }
    }

    /**
     * Refuses sliding-window attention that could bite: a window shorter than the context. A window at least
     * as long as {@code max_position_embeddings} masks nothing, since documents are cut to the context.
     */
    void refuseSlidingWindow(String key, int window, int maxPositions) {
        if (window > 0 && window < maxPositions) {
            throw new IllegalArgumentException(key + " " + window + " is shorter than max_position_embeddings "
                    + maxPositions + ": sliding-window attention is not implemented");
        }
    }

    /** {@code key} as an integer, 0 when absent or null. */
    int intOrZero(String key) {
        return intOr(key, 0);
    }

    /** Whether {@code key} is present and not null. */
    boolean has(String key) {
        return !isNull(root.get(key));
    }

    /** The model_type as written. */
    String modelType() {
        JsonNode n = root.get("model_type");
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("missing model_type");
        }
        return n.asText();
    }

    /**
     * The Qwen families' sliding window: used only under {@code use_sliding_window} (HF's default window 4096),
     * and 5.x's {@code layer_types}, which must all be full attention.
     */
    void refuseQwenSlidingWindow(int maxPositions) {
        if (boolOr("use_sliding_window", false)) {
            refuseSlidingWindow("sliding_window", intOr("sliding_window", 4096), maxPositions);
        }
        requireFullAttentionLayers();
    }

    /** Refuses a {@code layer_types} entry other than full attention (5.x writes it for sliding windows). */
    private void requireFullAttentionLayers() {
        JsonNode n = root.get("layer_types");
        if (isNull(n)) {
            return;
        }
        for (int i = 0; i < n.size(); i++) {
            if (!"full_attention".equals(n.get(i).asText())) {
                throw new IllegalArgumentException("layer_types[" + i + "] '" + n.get(i).asText()
                        + "' is not implemented (only full_attention)");
            }
        }
    }

    private static int intValue(String key, JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException(key + " must be an integer, got " + n);
        }
        return n.intValue();
    }

    private static boolean isNull(JsonNode n) {
        return n == null || n.isNull();
    }
}
