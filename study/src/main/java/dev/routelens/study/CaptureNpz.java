package dev.routelens.study;

import dev.routelens.probe.ActivationCache;
import dev.routelens.probe.CapturedTensor;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A probe capture as NumPy {@code .npz}: {@code token_ids} int32 {@code [T]} and one array per captured hook, named
 * by the hook ({@code layers.3.moe.gate} float32 {@code [T, E]}, pre-softmax logits; {@code layers.3.moe.topk}
 * int32 {@code [T, k]}; {@code layers.3.moe.topk_weights} float32 {@code [T, k]}), each in the shape it was
 * captured. A dense layer has no router and so no entries. In Python: {@code z = np.load("probe.npz");
 * z["layers.3.moe.gate"]}.
 */
public final class CaptureNpz {
    private CaptureNpz() {
    }

    /** Writes document {@code doc} of {@code cache}, whose token ids are {@code ids} {@code [T]}, to {@code file}. */
    public static void write(Path file, ActivationCache cache, int doc, int[] ids) throws IOException {
        write(file, cache.document(doc), ids);
    }

    /** Writes one document's captures (hook name -> tensor, in forward order), whose token ids are {@code ids} {@code [T]}. */
    public static void write(Path file, java.util.Map<String, CapturedTensor> captured, int[] ids) throws IOException {
        NpzOut npz = new NpzOut().ints("token_ids", ids, ids.length);
        for (var e : captured.entrySet()) {
            String name = e.getKey();
            CapturedTensor t = e.getValue();
            int[] shape = new int[t.shape().length];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Math.toIntExact(t.shape()[i]);
            }
            if (t.floats() != null) {
                npz.floats(name, t.floats(), shape);
            } else {
                int[] values = new int[t.longs().length]; // top-k ids: int32 suffices
                for (int i = 0; i < values.length; i++) {
                    values[i] = Math.toIntExact(t.longs()[i]);
                }
                npz.ints(name, values, shape);
            }
        }
        npz.write(file);
    }

    /** {@code FILE.npz} beside a probe's {@code FILE.json} (any other name: {@code FILE.npz} appended). */
    public static Path beside(Path json) {
        String name = json.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(stem + ".npz");
    }
}
