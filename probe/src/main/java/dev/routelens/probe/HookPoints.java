package dev.routelens.probe;

import dev.routelens.model.MoeConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The hook points of a Mixtral-layout model, named after its structure. Every tensor is per real
 * token (N rows, no padding). Shapes use N tokens, H hidden, E experts, k top-k, V vocabulary, n_j the
 * tokens routed to expert j.
 */
public final class HookPoints {
    private HookPoints() {
    }

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
        d.put("layers.{i}.moe.topk_weights", "[N, k] chosen experts' probabilities renormalised to sum to 1");
        d.put("layers.{i}.moe.experts.{j}.out", "[n_j, H] expert j's output for the tokens routed to it, unweighted");
        d.put("layers.{i}.moe.out", "[N, H] weighted sum of the chosen experts");
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

    /** Every concrete hook name of a model with this config, in forward order. */
    public static List<String> all(MoeConfig c) {
        List<String> names = new ArrayList<>();
        names.add("embed");
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "layers." + i + ".";
            names.add(p + "resid.pre");
            names.add(p + "attn.out");
            names.add(p + "resid.mid");
            names.add(p + "moe.in");
            names.add(p + "moe.gate");
            names.add(p + "moe.probs");
            names.add(p + "moe.topk");
            names.add(p + "moe.topk_weights");
            for (int j = 0; j < c.numExperts(); j++) {
                names.add(p + "moe.experts." + j + ".out");
            }
            names.add(p + "moe.out");
            names.add(p + "resid.post");
        }
        names.add("final.norm");
        names.add("logits");
        return names;
    }
}
