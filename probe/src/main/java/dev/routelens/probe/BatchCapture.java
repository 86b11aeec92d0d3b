package dev.routelens.probe;

import dev.routelens.model.ForwardResult;
import dev.routelens.model.TokenBatch;
import java.util.List;
import java.util.Map;

/**
 * One batch's captures, per document, plus its forward result.
 *
 * @param batch the documents that ran
 * @param perDocument hook name -> tensor for each document, no padding
 * @param result per-document NLL
 */
public record BatchCapture(TokenBatch batch, List<Map<String, CapturedTensor>> perDocument, ForwardResult result) {

    /** Rows of {@code name} for every document, packed back together in batch order. // [N * width] */
    public float[] packed(String name) {
        int total = 0;
        for (Map<String, CapturedTensor> d : perDocument) {
            total += tensor(d, name).floats().length;
        }
        float[] out = new float[total];
        int o = 0;
        for (Map<String, CapturedTensor> d : perDocument) {
            float[] f = tensor(d, name).floats();
            System.arraycopy(f, 0, out, o, f.length);
            o += f.length;
        }
        return out;
    }

    private static CapturedTensor tensor(Map<String, CapturedTensor> d, String name) {
        CapturedTensor t = d.get(name);
        if (t == null || t.floats() == null) {
            throw new IllegalArgumentException("no float tensor captured at '" + name + "'");
        }
        return t;
    }
}
