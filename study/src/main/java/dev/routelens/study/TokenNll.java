package dev.routelens.study;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.routelens.model.HookSite;
import dev.routelens.model.TokenBatch;
import dev.routelens.probe.Hook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Each predicted token's NLL in nats, read off the LM-head logits of one batch by a hook on {@link #SITE}.
 * The arithmetic is the model's own for its per-document NLL (float32 log-softmax, the next token's entry),
 * so a document's values, summed in order, give its {@code nllSum}. Entry p of a document is
 * -log p(token p | tokens before it); entry 0 predicts nothing and is NaN. One instance per batch run.
 */
public final class TokenNll {
    /** The hook site of the LM-head logits, [N, V]. */
    public static final String SITE = "logits";

    private final List<float[]> perDocument = new ArrayList<>();

    /** The hook: records the values and leaves the logits as they are. */
    public Hook hook() {
        return this::record;
    }

    private NDArray record(NDArray logits, HookSite site) { // logits [N, V]
        TokenBatch batch = site.batch();
        long v = logits.getShape().get(1);
        long[] flat = new long[batch.tokenCount()];
        int predicted = 0;
        int row = 0;
        for (int[] doc : batch.docs()) {
            for (int p = 0; p + 1 < doc.length; p++) {
                flat[predicted++] = (row + p) * v + doc[p + 1];
            }
            row += doc.length;
        }
        float[] values = new float[0];
        if (predicted > 0) {
            try (NDArray logits32 = logits.toType(DataType.FLOAT32, true);
                 NDArray logp = logits32.logSoftmax(-1);                                      // [N, V]
                 NDArray index = logp.getManager().create(Arrays.copyOf(flat, predicted));    // [M]
                 NDArray picked = logp.take(index)) {                                         // [M]
                values = picked.toFloatArray();
            }
        }
        perDocument.clear();
        int i = 0;
        for (int[] doc : batch.docs()) {
            float[] nll = new float[doc.length];
            nll[0] = Float.NaN;
            for (int p = 1; p < doc.length; p++) {
                nll[p] = -values[i++];
            }
            perDocument.add(nll);
        }
        return null;
    }

    /** Document b's per-token NLL [T], entry 0 NaN; the hook must have run. */
    public float[] document(int b) {
        if (b < 0 || b >= perDocument.size()) {
            throw new IllegalStateException("no per-token NLL for document " + b + " of " + perDocument.size()
                    + ": the hook on '" + SITE + "' did not run for it");
        }
        return perDocument.get(b);
    }
}
