package dev.routelens.routing;

import dev.routelens.model.ResumePoint;
import dev.routelens.model.TokenBatch;
import dev.routelens.probe.BatchCapture;
import java.util.List;

/**
 * The baseline passes of an in-memory ablation study, kept so that ablations run one at a time
 * ({@link AblationStudy#run(AblationBaseline, Ablation, boolean)}) share them, as a sweep's ablations
 * do: per batch, its tokens and one capture of top-k at every layer and {@code resid.mid} at every
 * layer. Made by {@link AblationStudy#baseline}.
 */
public final class AblationBaseline {
    final List<LabeledTokens> docs;     // the documents, cut to the context
    final List<int[]> members;          // [batches][documents in the batch]: indices into docs
    final List<TokenBatch> batches;     // [batches]
    final List<BatchCapture> captures;  // [batches]: top-k and resid.mid of the unablated pass
    private final float[][][] residuals; // [batches][layers][N*H], packed on first use

    AblationBaseline(List<LabeledTokens> docs, List<int[]> members, List<TokenBatch> batches,
                     List<BatchCapture> captures, int layers) {
        this.docs = docs;
        this.members = members;
        this.batches = batches;
        this.captures = captures;
        this.residuals = new float[batches.size()][layers][];
    }

    /** Batch {@code b}'s residual stream at {@code at}, packed [N*H] once and shared by every later call. */
    float[] residual(int b, ResumePoint at) {
        float[][] perLayer = residuals[b];
        if (perLayer[at.layer()] == null) {
            perLayer[at.layer()] = captures.get(b).packed(at.hookName());
        }
        return perLayer[at.layer()];
    }

    /** Batches of the baseline. */
    public int batchCount() {
        return batches.size();
    }
}
