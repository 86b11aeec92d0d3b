package dev.routelens.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.SparseMoe;
import dev.routelens.model.TokenBatch;
import dev.routelens.probe.Hook;
import java.util.Map;

/**
 * Hooks that gather one batch's {@link ExpertOutputs} while it runs, reducing on the device so that only small
 * arrays reach the host: the argmax of {@link MoeTransformer#LOGITS} [N] (never the [N, V] logits), each MoE layer's
 * {@code topk} [N, k] and {@code topk_weights} [N, k], and each chosen expert's output norm, one float per routed
 * row of {@code experts.{j}.out} [n_j, H]. Within a layer the top-k site runs before the experts, so each norm is
 * put in the slot where its token chose the expert.
 */
final class OutputCapture {
    /** Every MoE layer's expert-output sites, as a glob. */
    static final String EXPERT_OUT_EVERY_LAYER = "layers.*.moe.experts.*.out";

    private final TokenBatch batch;
    private final int[] moeLayers; // [M]
    private final int topK;
    private final long[] predicted;      // [N]
    private final long[][] experts;      // [M][N*k]
    private final float[][] weights;     // [M][N*k]
    private final float[][] norms;       // [M][N*k]

    OutputCapture(TokenBatch batch, int[] moeLayers, int topK) {
        int n = batch.tokenCount();
        this.batch = batch;
        this.moeLayers = moeLayers.clone();
        this.topK = topK;
        this.predicted = new long[n];
        this.experts = new long[moeLayers.length][];
        this.weights = new float[moeLayers.length][];
        this.norms = new float[moeLayers.length][n * topK];
        for (float[] layer : norms) {
            java.util.Arrays.fill(layer, Float.NaN); // a slot no expert hook filled stays visible
        }
    }

    /** The hooks to run the batch under; they only read. */
    Map<String, Hook> hooks() {
        return Map.of(
                MoeTransformer.LOGITS, (logits, site) -> { // [N, V]
                    long[] argmax = logits.argMax(1).toLongArray(); // [N]
                    System.arraycopy(argmax, 0, predicted, 0, argmax.length);
                    return null;
                },
                SparseMoe.TOPK_EVERY_LAYER, (topk, site) -> { // [N, k] int64
                    experts[slot(site.layer())] = topk.toType(DataType.INT64, false).toLongArray();
                    return null;
                },
                SparseMoe.TOPK_WEIGHTS_EVERY_LAYER, (w, site) -> { // [N, k]
                    weights[slot(site.layer())] = w.toType(DataType.FLOAT32, false).toFloatArray();
                    return null;
                },
                EXPERT_OUT_EVERY_LAYER, (out, site) -> { // [n_j, H]
                    int m = slot(site.layer());
                    int expert = expertOf(site.name());
                    NDArray rowNorms = out.toType(DataType.FLOAT32, false).norm(new int[] {1}); // [n_j]
                    float[] values = rowNorms.toFloatArray();
                    long[] rows = site.rows(); // [n_j] packed token of each row
                    for (int r = 0; r < values.length; r++) {
                        int token = rows == null ? r : (int) rows[r];
                        for (int s = 0; s < topK; s++) {
                            if (experts[m][token * topK + s] == expert) {
                                norms[m][token * topK + s] = values[r];
                            }
                        }
                    }
                    return null;
                });
    }

    /** Batch document {@code b}'s outputs, once the batch has run. */
    ExpertOutputs document(int b) {
        int offset = batch.offset(b);
        int tokens = batch.length(b);
        int layers = moeLayers.length;
        int[] next = new int[tokens];
        int[][][] chosen = new int[layers][tokens][topK];
        float[][][] w = new float[layers][tokens][topK];
        float[][][] norm = new float[layers][tokens][topK];
        for (int t = 0; t < tokens; t++) {
            next[t] = Math.toIntExact(predicted[offset + t]);
            for (int m = 0; m < layers; m++) {
                if (experts[m] == null || weights[m] == null) {
                    throw new IllegalStateException("MoE layer " + moeLayers[m] + " ran without its top-k sites");
                }
                for (int s = 0; s < topK; s++) {
                    int i = (offset + t) * topK + s;
                    chosen[m][t][s] = Math.toIntExact(experts[m][i]);
                    w[m][t][s] = weights[m][i];
                    norm[m][t][s] = norms[m][i];
                    if (Float.isNaN(norm[m][t][s])) {
                        throw new IllegalStateException("MoE layer " + moeLayers[m] + ": no output norm for token " + t
                                + " slot " + s + " (expert " + chosen[m][t][s] + ")");
                    }
                }
            }
        }
        return new ExpertOutputs(next, chosen, w, norm);
    }

    private int slot(int layer) {
        return MoeLayers.slotOf(moeLayers, layer);
    }

    /** j of {@code layers.{i}.moe.experts.{j}.out}. */
    static int expertOf(String name) {
        String[] parts = name.split("\\.");
        return Integer.parseInt(parts[parts.length - 2]);
    }
}
