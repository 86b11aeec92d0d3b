package dev.routelens.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The dimensions of a Mixtral-layout mixture-of-experts decoder, as in an HF {@code config.json}.
 *
 * <p>Immutable and self-validating: every size is positive and consistent (heads divide the hidden
 * size, KV heads divide heads, top-k is at most the expert count). Derived sizes are computed once.
 *
 * @param modelType {@code SciDFM} or {@code mixtral} (any case)
 * @param vocabSize V
 * @param hiddenSize H
 * @param numLayers L
 * @param numHeads query heads
 * @param numKvHeads key/value heads (grouped-query attention when fewer than {@code numHeads})
 * @param intermediateSize F, the SwiGLU width of one expert
 * @param numExperts E
 * @param topK k, experts chosen per token
 * @param rmsNormEps RMSNorm epsilon
 * @param ropeTheta RoPE base
 * @param maxPositions context length
 * @param tieWordEmbeddings whether the LM head reuses the embedding
 * @param bosId beginning-of-sequence token id
 * @param eosId end-of-sequence token id
 */
public record MoeConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int intermediateSize,
        int numExperts,
        int topK,
        double rmsNormEps,
        double ropeTheta,
        int maxPositions,
        boolean tieWordEmbeddings,
        int bosId,
        int eosId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public MoeConfig {
        if (modelType == null
                || !(modelType.equalsIgnoreCase("scidfm") || modelType.equalsIgnoreCase("mixtral"))) {
            throw new IllegalArgumentException("model_type must be SciDFM or mixtral, got '" + modelType + "'");
        }
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("intermediate_size", intermediateSize);
        positive("num_local_experts", numExperts);
        positive("num_experts_per_tok", topK);
        positive("max_position_embeddings", maxPositions);
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads
                    + ") does not divide hidden_size (" + hiddenSize + ")");
        }
        if ((hiddenSize / numHeads) % 2 != 0) {
            throw new IllegalArgumentException("head_dim (" + hiddenSize / numHeads + ") must be even for RoPE");
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_key_value_heads (" + numKvHeads
                    + ") does not divide num_attention_heads (" + numHeads + ")");
        }
        if (topK > numExperts) {
            throw new IllegalArgumentException("num_experts_per_tok (" + topK
                    + ") exceeds num_local_experts (" + numExperts + ")");
        }
        if (!(rmsNormEps > 0) || !Double.isFinite(rmsNormEps)) {
            throw new IllegalArgumentException("rms_norm_eps must be positive, got " + rmsNormEps);
        }
        if (!(ropeTheta > 0) || !Double.isFinite(ropeTheta)) {
            throw new IllegalArgumentException("rope_theta must be positive, got " + ropeTheta);
        }
        if (bosId < 0 || bosId >= vocabSize || eosId < 0 || eosId >= vocabSize) {
            throw new IllegalArgumentException("bos_token_id/eos_token_id must lie in [0, vocab_size)");
        }
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    /** Per-head width, {@code hiddenSize / numHeads}. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Query heads per KV head. */
    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    /** Width of the concatenated expert-choice vector E_T: layers x experts. */
    public int expertChoiceWidth() {
        return numLayers * numExperts;
    }

    /** Parameters in the whole model (all experts counted). */
    public long parameterCount() {
        long h = hiddenSize;
        long head = tieWordEmbeddings ? 0 : (long) vocabSize * h;
        return (long) vocabSize * h + numLayers * layerParameterCount() + h + head;
    }

    /** Parameters of one decoder layer: attention, both norms, the router and every expert. */
    public long layerParameterCount() {
        long h = hiddenSize;
        long attn = h * headDim() * (numHeads + 2L * numKvHeads) + (long) numHeads * headDim() * h;
        long moe = (long) numExperts * 3L * h * intermediateSize + (long) numExperts * h;
        return attn + moe + 2 * h;
    }

    /** Multiply-add FLOPs per token of one forward pass with top-k experts, excluding attention scores. */
    public long flopsPerToken() {
        long h = hiddenSize;
        long attn = h * headDim() * (numHeads + 2L * numKvHeads) + (long) numHeads * headDim() * h;
        long moe = (long) topK * 3L * h * intermediateSize + (long) numExperts * h;
        return 2L * (numLayers * (attn + moe) + (long) vocabSize * h);
    }

    /** Reads and validates an HF {@code config.json}. Errors name the file. */
    public static MoeConfig read(Path configJson) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(configJson.toFile());
        } catch (IOException e) {
            throw new IOException(configJson + ": not valid JSON (" + firstLine(e.getMessage()) + ")", e);
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(configJson + ": " + e.getMessage(), e);
        }
    }

    /** Builds a config from a parsed HF config object. */
    public static MoeConfig fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("config must be a JSON object");
        }
        int hidden = requiredInt(root, "hidden_size");
        int heads = requiredInt(root, "num_attention_heads");
        return new MoeConfig(
                requiredText(root, "model_type"),
                requiredInt(root, "vocab_size"),
                hidden,
                requiredInt(root, "num_hidden_layers"),
                heads,
                root.has("num_key_value_heads") ? requiredInt(root, "num_key_value_heads") : heads,
                requiredInt(root, "intermediate_size"),
                requiredInt(root, "num_local_experts"),
                requiredInt(root, "num_experts_per_tok"),
                root.has("rms_norm_eps") ? requiredDouble(root, "rms_norm_eps") : 1e-6,
                root.has("rope_theta") ? requiredDouble(root, "rope_theta") : 10000.0,
                root.has("max_position_embeddings") ? requiredInt(root, "max_position_embeddings") : 4096,
                root.path("tie_word_embeddings").asBoolean(false),
                root.has("bos_token_id") ? requiredInt(root, "bos_token_id") : 1,
                root.has("eos_token_id") ? requiredInt(root, "eos_token_id") : 2);
    }

    /** The HF {@code config.json} form of this config. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add("MixtralForCausalLM");
        o.put("model_type", modelType);
        o.put("vocab_size", vocabSize);
        o.put("hidden_size", hiddenSize);
        o.put("num_hidden_layers", numLayers);
        o.put("num_attention_heads", numHeads);
        o.put("num_key_value_heads", numKvHeads);
        o.put("intermediate_size", intermediateSize);
        o.put("num_local_experts", numExperts);
        o.put("num_experts_per_tok", topK);
        o.put("rms_norm_eps", rmsNormEps);
        o.put("rope_theta", ropeTheta);
        o.put("max_position_embeddings", maxPositions);
        o.put("hidden_act", "silu");
        o.put("tie_word_embeddings", tieWordEmbeddings);
        o.put("bos_token_id", bosId);
        o.put("eos_token_id", eosId);
        o.put("torch_dtype", "float32");
        return o;
    }

    /** Writes {@link #toJson()} pretty-printed. */
    public void write(Path configJson) throws IOException {
        Files.writeString(configJson, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
    }

    private static int requiredInt(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("missing " + key);
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException(key + " must be an integer, got " + n);
        }
        return n.intValue();
    }

    private static double requiredDouble(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || !n.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + n);
        }
        return n.doubleValue();
    }

    private static String requiredText(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return n.asText().toLowerCase(Locale.ROOT).equals("scidfm") ? "SciDFM" : n.asText();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
