package dev.routelens.cli;

import dev.routelens.model.MoeConfig;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.model.SparseMoe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One document's part of probe's JSON: its tokens, routing at every layer, and its NLL, whole and per token. */
final class ProbeJson {
    private ProbeJson() {
    }

    /**
     * token_ids, tokens, gate_logits, topk_experts and topk_weights ([layer][token][...], null at a dense layer),
     * nll (mean per predicted token) and token_nll (per token, null for the first, which nothing predicts); with
     * knock-outs also baseline_nll and baseline_token_nll, the same without them.
     */
    static Map<String, Object> document(int[] ids, Tokenizer tokenizer, MoeConfig c, ProbeRun.Document d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("token_ids", ids);
        List<String> tokens = new ArrayList<>();
        for (int id : ids) {
            tokens.add(tokenizer.token(id));
        }
        json.put("tokens", tokens);
        List<float[][]> gates = new ArrayList<>();
        List<int[][]> topk = new ArrayList<>();
        List<float[][]> weights = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) { // a dense layer has no router: null at its index
            boolean moe = c.isMoeLayer(l);
            gates.add(moe ? d.captured().get(SparseMoe.gate(l)).matrix() : null);
            topk.add(moe ? d.captured().get(SparseMoe.topk(l)).intMatrix() : null);
            weights.add(moe ? d.captured().get(SparseMoe.topkWeights(l)).matrix() : null);
        }
        json.put("gate_logits", gates);
        json.put("topk_experts", topk);
        json.put("topk_weights", weights);
        json.put("nll", finite("the mean NLL", d.nll(), d.nllCount()));
        json.put("token_nll", perToken(d.tokenNll()));
        if (d.baselineTokenNll() != null) {
            json.put("baseline_nll", finite("the baseline mean NLL", d.baselineNll(), d.nllCount()));
            json.put("baseline_token_nll", perToken(d.baselineTokenNll()));
        }
        return json;
    }

    /** Per-token values with null for the first token, which nothing predicts. */
    private static List<Float> perToken(float[] values) {
        List<Float> out = new ArrayList<>(values.length);
        for (int p = 0; p < values.length; p++) {
            out.add(p == 0 ? null : values[p]);
        }
        return out;
    }

    /**
     * A mean NLL, or null when no token has a successor (a one-token input). Anything else that is not finite
     * is a fault, never a silent null: the model refuses non-finite log-probabilities itself, and this is the
     * second line of that defence.
     */
    static Double finite(String what, double nll, int count) {
        if (count == 0) {
            return null;
        }
        if (!Double.isFinite(nll)) {
            throw new ArithmeticException("logits: " + what + " over " + count + " predicted tokens is " + nll
                    + "; nothing was written");
        }
        return nll;
    }
}
