package dev.routelens.routing;

import dev.routelens.model.DecoderLayer;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.ResumePoint;
import dev.routelens.model.TokenBatch;
import dev.routelens.core.AtomicFiles;
import dev.routelens.core.Folders;
import dev.routelens.probe.BatchCapture;
import dev.routelens.probe.Hook;
import dev.routelens.model.SparseMoe;
import dev.routelens.probe.Probe;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * An ablation sweep over a layer-streamed model. Per-batch resumes would rebuild layers l..L-1 once per
 * batch and ablation, so the sweep runs layer-major twice over:
 * <ol>
 * <li>one baseline pass over every batch captures top-k at every MoE layer and writes each batch's
 * {@code layers.{l}.resid.mid} of every ablated (MoE) layer l to a disk cache (M x N x H float32);</li>
 * <li>for each such layer l, every ablation at l and every batch form one set that resumes at
 * {@code resid.mid} of layer l, so layers l..L-1 are built once for all of them.</li>
 * </ol>
 * Costs, with L layers (all MoE; a family's dense layers add no ablations and no cache), E ablations per layer
 * (1 for top-r and zero-shared), N tokens, H hidden, b bytes per element:
 * layer builds L + L(L+1)/2; token-layer passes N L + E N L(L+1)/2; disk 4 N H L (freed layer by layer);
 * resident residuals E N H b per set (more sets, each rebuilding its layers, when over the budget).
 * Accumulators snapshot after each layer; a resumed sweep reruns the baseline pass and the unfinished
 * layers only.
 */
final class LayerMajorSweep {
    private final Probe probe;
    private final MoeConfig config;

    LayerMajorSweep(Probe probe) {
        this.probe = probe;
        this.config = probe.model().config();
    }

    /** Bytes of the resid.mid cache for {@code tokens} tokens: one copy per MoE layer. */
    static long cacheBytes(MoeConfig config, long tokens) {
        return 4L * tokens * config.hiddenSize() * config.moeLayers().length;
    }

    void run(List<LabeledTokens> docs, List<Ablation> ablations, List<AblationAccumulator> accs, Path checkpoint,
             String fingerprint, LongConsumer progress) throws IOException {
        int layers = config.numLayers();
        boolean[] ablated = new boolean[layers]; // layers whose resid.mid the ablations resume from
        for (Ablation a : ablations) {
            ablated[a.layer()] = true;
        }
        List<int[]> ids = docs.stream().map(LabeledTokens::ids).toList();
        List<int[]> plan = probe.plan(ids).batches();
        List<TokenBatch> batches = plan.stream().map(m -> TokenBatch.select(ids, m)).toList();
        long tokens = batches.stream().mapToLong(TokenBatch::tokenCount).sum();
        String fp = "layer-major " + fingerprint;
        boolean[] layerDone = new boolean[layers];
        if (checkpoint != null) {
            AblationStudy.restore(checkpoint, fp, accs, layerDone, layers + " layers");
        }
        Path cache = checkpoint != null
                ? checkpoint.resolveSibling(checkpoint.getFileName() + ".resid")
                : Files.createTempDirectory("routelens-sweep-");
        Files.createDirectories(cache);
        long need = cacheBytes(config, tokens);
        long free = Files.getFileStore(cache).getUsableSpace();
        if (need > free) {
            throw new IllegalArgumentException(String.format("a streamed sweep caches resid.mid of every layer: "
                    + "%d layers x %d tokens x %d hidden x 4 bytes = %.1f GB, but %s has %.1f GB free; "
                    + "sweep fewer documents (--per-class) or free disk space", config.moeLayers().length, tokens,
                    config.hiddenSize(),
                    need / 1e9, cache, free / 1e9));
        }
        try {
            List<BatchCapture> base = baseline(batches, cache, layerDone, ablated);
            long done = 0;
            for (int l = 0; l < layers; l++) {
                List<Integer> at = new ArrayList<>();
                for (int i = 0; i < ablations.size(); i++) {
                    if (ablations.get(i).layer() == l) {
                        at.add(i);
                    }
                }
                if (!layerDone[l] && !at.isEmpty()) {
                    runLayer(l, at, ablations, accs, plan, batches, base, cache);
                }
                layerDone[l] = true;
                done += (long) at.size() * batches.size();
                progress.accept(done);
                if (checkpoint != null) {
                    AblationStudy.save(checkpoint, fp, accs, layerDone);
                }
                for (int k = 0; k < batches.size(); k++) {
                    Files.deleteIfExists(cacheFile(cache, l, k));
                }
            }
            Folders.deleteTree(cache); // every layer done: the cache is empty and no resume needs it
        } finally {
            if (checkpoint == null) {
                Folders.deleteTree(cache);
            }
        }
    }

    /** The baseline pass: top-k of every MoE layer in memory, resid.mid of unfinished ablated layers to the cache. */
    private List<BatchCapture> baseline(List<TokenBatch> batches, Path cache, boolean[] layerDone, boolean[] ablated)
            throws IOException {
        List<Map<String, Hook>> hooks = new ArrayList<>();
        for (int k = 0; k < batches.size(); k++) {
            final int batch = k;
            hooks.add(Map.of(DecoderLayer.RESID_MID_EVERY_LAYER, (tensor, site) -> {
                if (ablated[site.layer()] && !layerDone[site.layer()]) {
                    float[] values = tensor.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(); // [N*H]
                    try {
                        AtomicFiles.writeBytes(cacheFile(cache, site.layer(), batch), out -> writeFloats(out, values));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return null;
            }));
        }
        try {
            return probe.runBatches(batches, SparseMoe.topkFrom(0), hooks, true);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Every ablation at layer l over every batch, as one set resumed at resid.mid of layer l. */
    private void runLayer(int l, List<Integer> at, List<Ablation> ablations, List<AblationAccumulator> accs,
                          List<int[]> plan, List<TokenBatch> batches, List<BatchCapture> base, Path cache)
            throws IOException {
        List<float[]> cached = new ArrayList<>();
        for (int k = 0; k < batches.size(); k++) {
            cached.add(readFloats(cacheFile(cache, l, k), (long) batches.get(k).tokenCount() * config.hiddenSize()));
        }
        List<TokenBatch> set = new ArrayList<>();
        List<float[]> residuals = new ArrayList<>();
        List<Map<String, Hook>> hooks = new ArrayList<>();
        for (int i : at) {
            for (int k = 0; k < batches.size(); k++) {
                set.add(batches.get(k));
                residuals.add(cached.get(k));
                hooks.add(ablations.get(i).hooks(config.topK()));
            }
        }
        List<BatchCapture> out = probe.runBatchesFrom(ResumePoint.residMid(l), residuals, set, SparseMoe.topkFrom(l),
                hooks, true);
        int run = 0;
        for (int i : at) {
            for (int k = 0; k < batches.size(); k++) {
                accs.get(i).add(plan.get(k), base.get(k), out.get(run++));
            }
        }
    }

    private static Path cacheFile(Path cache, int layer, int batch) {
        return cache.resolve("resid-mid-l" + layer + "-b" + batch + ".f32");
    }

    private static void writeFloats(java.io.OutputStream out, float[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        new DataOutputStream(out).write(buf.array());
    }

    private static float[] readFloats(Path file, long count) throws IOException {
        byte[] bytes;
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            bytes = in.readAllBytes();
        }
        if (bytes.length != count * 4) {
            throw new IOException(file + ": " + bytes.length + " bytes, expected " + count * 4
                    + " (resid.mid cache damaged; remove the checkpoint to start afresh)");
        }
        float[] values = new float[(int) count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
