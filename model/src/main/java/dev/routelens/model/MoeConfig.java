package dev.routelens.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routelens.model.family.ModelFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The dimensions of a mixture-of-experts decoder, as in an HF {@code config.json}, for any supported family
 * ({@link ModelFamily}): Mixtral and SciDFM, OLMoE, Qwen2-MoE, Qwen3-MoE. What a family adds to the
 * Mixtral layer lives in {@link #arch()}.
 *
 * <p>Immutable and self-validating: every size is positive and consistent (KV heads divide heads, top-k
 * is at most the expert count, at least one layer has a router). Derived sizes are computed once.
 *
 * @param modelType a supported {@code model_type}: {@code SciDFM}, {@code mixtral}, {@code olmoe},
 *     {@code qwen2_moe} or {@code qwen3_moe}
 * @param vocabSize V
 * @param hiddenSize H
 * @param numLayers L, all decoder layers, dense ones included
 * @param numHeads query heads
 * @param numKvHeads key/value heads (grouped-query attention when fewer than {@code numHeads})
 * @param intermediateSize F, the SwiGLU width of one routed expert
 * @param numExperts E, routed experts per MoE layer
 * @param topK k, experts chosen per token
 * @param rmsNormEps RMSNorm epsilon
 * @param ropeTheta RoPE base
 * @param maxPositions context length
 * @param tieWordEmbeddings whether the LM head reuses the embedding
 * @param bosId beginning-of-sequence token id, -1 when the config names none
 * @param eosId end-of-sequence token id, -1 when the config names none
 * @param arch the family's extras: head width, router renormalisation, shared expert, dense layers,
 *     q/k norms, biases, clipping
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
        int eosId,
        Architecture arch) {

    /** A key given twice or text after the object is refused: Jackson would keep the last value, unseen. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public MoeConfig {
        ModelFamily.of(modelType); // refuses unknown and unsupported families by name
        inRange("vocab_size", vocabSize, 1 << 24);
        inRange("hidden_size", hiddenSize, 1 << 18);
        inRange("num_hidden_layers", numLayers, 4096);
        inRange("num_attention_heads", numHeads, 4096);
        inRange("num_key_value_heads", numKvHeads, 4096);
        inRange("intermediate_size", intermediateSize, 1 << 20);
        inRange("num_experts", numExperts, 1 << 16);
        inRange("num_experts_per_tok", topK, 1 << 16);
        inRange("max_position_embeddings", maxPositions, 1 << 24);
        if (arch == null) {
            throw new IllegalArgumentException("architecture must be given");
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_key_value_heads (" + numKvHeads
                    + ") does not divide num_attention_heads (" + numHeads + ")");
        }
        if (topK > numExperts) {
            throw new IllegalArgumentException("num_experts_per_tok (" + topK
                    + ") exceeds num_experts (" + numExperts + ")");
        }
        if (arch.qkNorm() == QkNorm.FULL_WIDTH && numHeads * arch.headDim() != hiddenSize) {
            throw new IllegalArgumentException("head_dim " + arch.headDim() + " x " + numHeads
                    + " heads differs from hidden_size " + hiddenSize + ": a full-width q/k norm needs them equal");
        }
        for (int layer : arch.denseLayers()) {
            if (layer < 0 || layer >= numLayers) {
                throw new IllegalArgumentException("dense layer " + layer + " outside [0, " + numLayers + ")");
            }
        }
        if (arch.denseLayers().size() == numLayers) {
            throw new IllegalArgumentException("every layer is dense: the model has no router to study");
        }
        if (!(rmsNormEps >= 1e-12 && rmsNormEps <= 0.1)) {
            throw new IllegalArgumentException("rms_norm_eps must lie in [1e-12, 0.1], got " + rmsNormEps);
        }
        if (!(ropeTheta >= 1 && ropeTheta <= 1e12)) {
            throw new IllegalArgumentException("rope_theta must lie in [1, 1e12], got " + ropeTheta);
        }
        if (bosId < -1 || bosId >= vocabSize || eosId < -1 || eosId >= vocabSize) {
            throw new IllegalArgumentException("bos_token_id/eos_token_id must lie in [0, vocab_size), got "
                    + bosId + "/" + eosId);
        }
    }

    /** A plain Mixtral-layout config (Mixtral or SciDFM): head width hidden / heads, every layer MoE. */
    public MoeConfig(String modelType, int vocabSize, int hiddenSize, int numLayers, int numHeads, int numKvHeads,
                     int intermediateSize, int numExperts, int topK, double rmsNormEps, double ropeTheta,
                     int maxPositions, boolean tieWordEmbeddings, int bosId, int eosId) {
        this(modelType, vocabSize, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize, numExperts, topK,
                rmsNormEps, ropeTheta, maxPositions, tieWordEmbeddings, bosId, eosId,
                Architecture.mixtral(mixtralHeadDim(hiddenSize, numHeads)));
    }

    private static int mixtralHeadDim(int hidden, int heads) {
        if (heads <= 0 || hidden % heads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + heads + ") does not divide hidden_size ("
                    + hidden + ")");
        }
        return hidden / heads;
    }

    /**
     * Refuses a size that is not positive or is beyond any real model's (the bounds sit far above today's
     * largest, so that a typo such as a billion layers fails here, not after minutes of allocation).
     */
    private static void inRange(String key, int value, int max) {
        if (value <= 0 || value > max) {
            throw new IllegalArgumentException(key + " must lie in [1, " + max + "], got " + value);
        }
    }

    /** The family whose semantics this config follows. */
    public ModelFamily family() {
        return ModelFamily.of(modelType);
    }

    /** Per-head width D. */
    public int headDim() {
        return arch.headDim();
    }

    /** Query heads per KV head. */
    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    /** Whether layer {@code layer} has a router and experts (and so the {@code moe.*} hook sites). */
    public boolean isMoeLayer(int layer) {
        return layer >= 0 && layer < numLayers && !arch.isDense(layer);
    }

    /** Real indices of the MoE layers, ascending: the layers E_T and every routing study cover. */
    public int[] moeLayers() {
        return java.util.stream.IntStream.range(0, numLayers).filter(this::isMoeLayer).toArray();
    }

    /** Width of the concatenated expert-choice vector E_T: MoE layers x experts. */
    public int expertChoiceWidth() {
        return moeLayers().length * numExperts;
    }

    /** Parameters in the whole model (all experts counted). */
    public long parameterCount() {
        long h = hiddenSize;
        long head = tieWordEmbeddings ? 0 : (long) vocabSize * h;
        long layers = 0;
        for (int i = 0; i < numLayers; i++) {
            layers += layerParameterCount(i);
        }
        return (long) vocabSize * h + layers + h + head;
    }

    /** Parameters of the largest decoder layer: what one streamed layer must fit. */
    public long layerParameterCount() {
        long max = 0;
        for (int i = 0; i < numLayers; i++) {
            max = Math.max(max, layerParameterCount(i));
        }
        return max;
    }

    /** Parameters of decoder layer {@code layer}: attention with its extras, both norms, and its MLP or MoE. */
    public long layerParameterCount(int layer) {
        long h = hiddenSize;
        long q = (long) numHeads * headDim();
        long kv = (long) numKvHeads * headDim();
        long attn = h * (q + 2 * kv) + q * h;
        if (arch.qkvBias()) {
            attn += q + 2 * kv;
        }
        if (arch.outputBias()) {
            attn += h;
        }
        attn += switch (arch.qkNorm()) {
            case NONE -> 0;
            case FULL_WIDTH -> q + kv;
            case PER_HEAD -> 2L * headDim();
        };
        long ffn;
        if (isMoeLayer(layer)) {
            ffn = (long) numExperts * 3L * h * intermediateSize + (long) numExperts * h;
            if (arch.sharedExpertSize() > 0) {
                ffn += 3L * h * arch.sharedExpertSize() + h;
            }
        } else {
            ffn = 3L * h * arch.denseSize();
        }
        return attn + ffn + 2 * h;
    }

    /** Multiply-add FLOPs per token of one forward pass with top-k experts, excluding attention scores. */
    public long flopsPerToken() {
        long h = hiddenSize;
        long q = (long) numHeads * headDim();
        long kv = (long) numKvHeads * headDim();
        long attn = h * (q + 2 * kv) + q * h;
        long total = (long) vocabSize * h;
        for (int i = 0; i < numLayers; i++) {
            long ffn = isMoeLayer(i)
                    ? (long) topK * 3L * h * intermediateSize + (long) numExperts * h
                            + (arch.sharedExpertSize() > 0 ? 3L * h * arch.sharedExpertSize() + h : 0)
                    : 3L * h * arch.denseSize();
            total += attn + ffn;
        }
        return 2L * total;
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

    /** Builds a config from a parsed HF config object, through the family its {@code model_type} names. */
    public static MoeConfig fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("config must be a JSON object");
        }
        JsonNode type = root.get("model_type");
        if (type == null || !type.isTextual()) {
            throw new IllegalArgumentException("missing model_type");
        }
        return ModelFamily.of(type.asText()).readConfig(root);
    }

    /** The HF {@code config.json} form of this config. */
    public ObjectNode toJson() {
        if (!family().equals(ModelFamily.of("mixtral")) || !arch.equals(Architecture.mixtral(hiddenSize / numHeads))) {
            throw new IllegalStateException("only plain Mixtral-layout configs are written by RouteLens; "
                    + modelType + " configs come from their HF checkpoints");
        }
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
        if (bosId >= 0) {
            o.put("bos_token_id", bosId);
        } else {
            o.putNull("bos_token_id");
        }
        if (eosId >= 0) {
            o.put("eos_token_id", eosId);
        } else {
            o.putNull("eos_token_id");
        }
        o.put("torch_dtype", "float32");
        return o;
    }

    /** Writes {@link #toJson()} pretty-printed. */
    public void write(Path configJson) throws IOException {
        Files.writeString(configJson, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
