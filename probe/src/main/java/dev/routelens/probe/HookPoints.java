package dev.routelens.probe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the hook points of a model mean, and the names of the ones studies use, for every family. The
 * catalogue of a model's concrete names is derived from its structure:
 * {@link dev.routelens.model.MoeTransformer#hookNames(dev.routelens.model.MoeConfig)} (an MoE layer has
 * {@code moe.*} sites, a family's dense layer {@code mlp.*} ones; only Qwen2-MoE has {@code moe.shared}).
 * Every tensor is per real token (N rows, no padding). Shapes use N tokens, H hidden, E experts, k top-k,
 * V vocabulary, n_j the tokens routed to expert j.
 */
public final class HookPoints {
    private HookPoints() {
    }

    /** Every MoE layer's shared-expert site, as a glob. */
    public static final String SHARED_EVERY_LAYER = "layers.*.moe.shared";

    /** Name pattern -> shape and meaning. {@code {i}} is a layer and {@code {j}} an expert. */
    public static final Map<String, String> DESCRIPTIONS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("embed", "[N, H] token embeddings");
        d.put("layers.{i}.resid.pre", "[N, H] residual stream entering layer i");
        d.put("layers.{i}.attn.out", "[N, H] attention output after o_proj");
        d.put("layers.{i}.resid.mid", "[N, H] residual after attention");
        d.put("layers.{i}.moe.in", "[N, H] post-attention RMSNorm output, the gate's input");
        d.put("layers.{i}.moe.gate", "[N, E] raw gate logits h W_g^T, pre-softmax, float32");
        d.put("layers.{i}.moe.probs", "[N, E] softmax of the gate logits, float32");
        d.put("layers.{i}.moe.topk", "[N, k] int64 chosen experts, by descending probability");
        d.put("layers.{i}.moe.topk_weights", "[N, k] the weights applied to the chosen experts: their probabilities,"
                + " renormalised to sum to 1 where the family does (always in Mixtral)");
        d.put("layers.{i}.moe.experts.{j}.out", "[n_j, H] expert j's output for the tokens routed to it, unweighted");
        d.put("layers.{i}.moe.shared", "[N, H] the shared expert's contribution sigmoid(gate(x)) * shared(x)"
                + " (Qwen2-MoE only)");
        d.put("layers.{i}.moe.out", "[N, H] weighted sum of the chosen experts, plus the shared expert's contribution");
        d.put("layers.{i}.mlp.in", "[N, H] a dense layer's post-attention RMSNorm output (no router)");
        d.put("layers.{i}.mlp.out", "[N, H] a dense layer's MLP output");
        d.put("layers.{i}.resid.post", "[N, H] residual leaving layer i");
        d.put("final.norm", "[N, H] final RMSNorm output");
        d.put("logits", "[N, V] LM-head logits");
        DESCRIPTIONS = Map.copyOf(d);
    }

    public static String residPre(int layer) {
        return "layers." + layer + ".resid.pre";
    }

    public static String residMid(int layer) {
        return "layers." + layer + ".resid.mid";
    }

    public static String gate(int layer) {
        return "layers." + layer + ".moe.gate";
    }

    public static String probs(int layer) {
        return "layers." + layer + ".moe.probs";
    }

    public static String topk(int layer) {
        return "layers." + layer + ".moe.topk";
    }

    /** Matches {@code layers.{i}.moe.topk} for every layer i at or after {@code fromLayer}. */
    public static Predicate<String> topkFrom(int fromLayer) {
        return name -> {
            if (!name.startsWith("layers.") || !name.endsWith(".moe.topk")) {
                return false;
            }
            return Integer.parseInt(name.substring("layers.".length(), name.indexOf('.', "layers.".length()))) >= fromLayer;
        };
    }

    public static String topkWeights(int layer) {
        return "layers." + layer + ".moe.topk_weights";
    }

    public static String expertOut(int layer, int expert) {
        return "layers." + layer + ".moe.experts." + expert + ".out";
    }

    public static String moeOut(int layer) {
        return "layers." + layer + ".moe.out";
    }

    /** The shared expert's scaled contribution at {@code layer} (a family with a shared expert). */
    public static String shared(int layer) {
        return "layers." + layer + ".moe.shared";
    }
}
