package dev.routelens.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routelens.core.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Router saturation per MoE layer ({@link RouterSaturation}), with the chance baselines of independent
 * uniformly random top-k sets: 1/E for top-1 and k/E for top-k (E[|A ∩ B|] = k·k/E).
 *
 * @param layers real index of each MoE layer // [M]
 * @param top1 fraction of tokens whose first choices agree // [M]
 * @param topK mean |TopK_A ∩ TopK_B| / k // [M]
 * @param tokens tokens compared at every layer
 * @param k experts chosen per token
 * @param experts E
 */
public record SaturationTable(int[] layers, double[] top1, double[] topK, long tokens, int k, int experts) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SaturationTable {
        if (layers == null || top1 == null || topK == null || layers.length == 0 || top1.length != layers.length
                || topK.length != layers.length) {
            throw new IllegalArgumentException("saturation table: layers, top1 and top_k must have one value per MoE layer");
        }
        for (int m = 0; m < layers.length; m++) {
            if (!(top1[m] >= 0 && top1[m] <= 1) || !(topK[m] >= 0 && topK[m] <= 1)) {
                throw new IllegalArgumentException("saturation table: layer " + layers[m] + " has top1 " + top1[m]
                        + ", top_k " + topK[m] + ", outside [0, 1]");
            }
        }
        if (tokens <= 0 || k < 1 || k > experts) {
            throw new IllegalArgumentException("saturation table: needs tokens > 0 and 1 <= k <= E, got tokens " + tokens
                    + ", k " + k + ", E " + experts);
        }
    }

    /** Chance top-1 saturation of independent uniform routers, 1/E. */
    public double chanceTop1() {
        return 1.0 / experts;
    }

    /** Chance top-k saturation of independent uniform top-k sets, k/E. */
    public double chanceTopK() {
        return k / (double) experts;
    }

    public double meanTop1() {
        return mean(top1);
    }

    public double meanTopK() {
        return mean(topK);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** {@code layer,top1,top_k,chance_top1,chance_top_k,tokens}, one row per MoE layer, written atomically. */
    public void writeCsv(Path file) throws IOException {
        AtomicFiles.write(file, w -> {
            w.write("layer,top1,top_k,chance_top1,chance_top_k,tokens\n");
            for (int m = 0; m < layers.length; m++) {
                w.write(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%d%n", layers[m], top1[m], topK[m],
                        chanceTop1(), chanceTopK(), tokens));
            }
        });
    }

    /** The JSON form: snake_case keys, read back by {@link #fromJson}. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("k", k);
        o.put("experts", experts);
        o.put("tokens", tokens);
        o.put("mean_top1", meanTop1());
        o.put("mean_top_k", meanTopK());
        o.put("chance_top1", chanceTop1());
        o.put("chance_top_k", chanceTopK());
        o.set("layers", JSON.valueToTree(layers));
        o.set("top1", JSON.valueToTree(top1));
        o.set("top_k", JSON.valueToTree(topK));
        return o;
    }

    public static SaturationTable fromJson(JsonNode o) {
        return new SaturationTable(JSON.convertValue(o.path("layers"), int[].class),
                JSON.convertValue(o.path("top1"), double[].class), JSON.convertValue(o.path("top_k"), double[].class),
                o.path("tokens").asLong(-1), o.path("k").asInt(-1), o.path("experts").asInt(-1));
    }
}
