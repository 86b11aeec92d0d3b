package dev.routelens.routing;

import dev.routelens.model.MoeConfig;
import dev.routelens.model.SparseMoe;
import dev.routelens.probe.CapturedTensor;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The two passes of a router-saturation measurement ({@link RouterSaturation}). The reference model routes every
 * document once, keeping only {@code layers.*.moe.topk} ({@link TopKCapture}: int ids [T, k] per MoE layer,
 * small); then the model routes the same token ids and each document is compared as soon as its batch is done,
 * so the model's own captures are never held for the whole corpus. The two models need not be loaded at once.
 * Documents longer than the context are cut by the probe ({@link Probe#forEachDocument}); both models cut them
 * alike because their configs share {@code max_position_embeddings}.
 */
public final class SaturationPass {
    private SaturationPass() {
    }

    /** Routes {@code docs} through the reference behind {@code probe}; {@code progress} gets documents done. */
    public static TopKCapture capture(Probe probe, List<int[]> docs, LongConsumer progress) {
        MoeConfig config = probe.model().config();
        int[] moeLayers = config.moeLayers(); // [M]
        TopKCapture capture = new TopKCapture(moeLayers, config.topK(), docs.size());
        long[] done = {0};
        probe.forEachDocument(docs, NameFilter.of(SparseMoe.TOPK_EVERY_LAYER), Map.of(), false,
                (doc, captured, nllSum, nllCount) -> {
                    for (int m = 0; m < moeLayers.length; m++) {
                        capture.put(doc, m, topk(captured, moeLayers[m]));
                    }
                    progress.accept(++done[0]);
                });
        return capture;
    }

    /** Routes {@code docs} through the model behind {@code probe}, comparing each with {@code reference}. */
    public static SaturationTable compare(Probe probe, List<int[]> docs, TopKCapture reference, LongConsumer progress) {
        MoeConfig config = probe.model().config();
        int[] moeLayers = config.moeLayers(); // [M]
        if (!java.util.Arrays.equals(moeLayers, reference.layers()) || config.topK() != reference.k()
                || docs.size() != reference.documents()) {
            throw new IllegalArgumentException("saturation: the reference was routed with other MoE layers, k or documents");
        }
        RouterSaturation saturation = new RouterSaturation(moeLayers, config.topK(), config.numExperts());
        long[] done = {0};
        probe.forEachDocument(docs, NameFilter.of(SparseMoe.TOPK_EVERY_LAYER), Map.of(), false,
                (doc, captured, nllSum, nllCount) -> {
                    for (int m = 0; m < moeLayers.length; m++) {
                        saturation.add(m, topk(captured, moeLayers[m]), reference.get(doc, m));
                    }
                    progress.accept(++done[0]);
                });
        return saturation.table();
    }

    /** The chosen experts at {@code layer}, first choice first. // [T][k] */
    private static int[][] topk(Map<String, CapturedTensor> captured, int layer) {
        CapturedTensor t = captured.get(SparseMoe.topk(layer));
        if (t == null) {
            throw new IllegalStateException("saturation: " + SparseMoe.topk(layer) + " was not captured");
        }
        return t.intMatrix();
    }
}
