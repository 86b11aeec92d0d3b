package dev.routelens.routing;

import dev.routelens.model.SparseMoe;
import dev.routelens.model.ForwardingStreamControl;
import dev.routelens.model.LayerTiming;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.StreamControl;
import dev.routelens.model.StreamGroups;
import dev.routelens.model.StreamState;
import dev.routelens.model.TokenBatch;
import dev.routelens.core.Digests;
import dev.routelens.model.io.StreamCheckpoint;
import dev.routelens.probe.BatchPlan;
import dev.routelens.probe.Hook;
import dev.routelens.probe.Probe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * {@link RoutingPass} on a layer-streamed model: every batch of the plan passes layer i before any
 * passes layer i+1, and a hook keeps each chunk's gate logits [M][t][E] as its MoE layers complete (dense
 * layers have none). After each layer the residual stream and every gate logit so far go to one atomic
 * checkpoint, so a crash
 * loses at most the layer in flight; a resumed run continues from the last completed layer. The sums
 * and metrics are then made exactly as the in-memory pass makes them, in the same order, so both
 * residencies give the same numbers.
 */
final class StreamedRouting {
    private final Probe probe;
    private final MoeConfig config;

    StreamedRouting(Probe probe) {
        this.probe = probe;
        this.config = probe.model().config();
    }

    RoutingPass.Result run(List<LabeledTokens> docs, List<RoutingPass.Item> items, BatchPlan plan,
                           RoutingMetrics metrics, Path checkpoint, String inputFingerprint, LongConsumer progress)
            throws IOException {
        int layers = config.numLayers();
        int[] moeLayers = config.moeLayers();
        int experts = config.numExperts();
        List<int[]> itemIds = items.stream().map(RoutingPass.Item::ids).toList();
        List<TokenBatch> batches = new ArrayList<>();
        for (int[] members : plan.batches()) {
            batches.add(TokenBatch.select(itemIds, members));
        }
        StreamControl user = probe.streaming();
        List<int[]> groups = StreamGroups.split(batches, config, probe.model().precision(), user.memoryBudget());
        String fingerprint = fingerprint(inputFingerprint, plan, groups);
        float[][][][] gates = new float[items.size()][moeLayers.length][][]; // [item][M][t][E], filled layer by layer
        List<Map<String, Hook>> hooks = new ArrayList<>();
        for (int k = 0; k < batches.size(); k++) {
            int[] members = plan.batches().get(k);
            TokenBatch batch = batches.get(k);
            hooks.add(Map.of(SparseMoe.GATE_EVERY_LAYER, (tensor, site) -> {
                float[] packed = tensor.toFloatArray(); // [N, E]
                for (int i = 0; i < members.length; i++) {
                    float[][] rows = new float[batch.length(i)][experts]; // [t][E]
                    for (int t = 0; t < rows.length; t++) {
                        System.arraycopy(packed, (batch.offset(i) + t) * experts, rows[t], 0, experts);
                    }
                    gates[members[i]][MoeLayers.slotOf(moeLayers, site.layer())] = rows;
                }
                return null;
            }));
        }
        Path stateFile = checkpoint == null ? null : checkpoint.resolveSibling(checkpoint.getFileName() + ".stream");
        List<LayerTiming> timings = new ArrayList<>();
        int[] resumedLayers = {0};
        long[] units = {0};
        StreamControl control = new ForwardingStreamControl(user) {
            @Override
            public StreamState resume() throws IOException {
                if (stateFile == null) {
                    return null;
                }
                StreamState s = StreamCheckpoint.read(stateFile, fingerprint).orElse(null);
                if (s != null) {
                    restore(s.extra(), gates, stateFile);
                    resumedLayers[0] = s.group() * layers + s.layersDone();
                    for (int g = 0; g < s.group(); g++) {
                        for (int b : groups.get(g)) {
                            units[0] += (long) (layers + 2) * batches.get(b).tokenCount();
                        }
                    }
                    for (int b : groups.get(s.group())) {
                        units[0] += (long) (s.layersDone() + 1) * batches.get(b).tokenCount();
                    }
                    progress.accept(units[0]);
                }
                return s;
            }

            @Override
            public void batchDone(int layer, int batch, int tokens) {
                user.batchDone(layer, batch, tokens);
                units[0] += tokens;
                progress.accept(units[0]);
            }

            @Override
            public void layerDone(LayerTiming timing, Supplier<StreamState> state) throws IOException {
                timings.add(timing);
                if (stateFile != null && timing.layer() >= 0 && timing.layer() < layers) {
                    StreamState s = state.get();
                    StreamCheckpoint.write(stateFile, fingerprint, new StreamState(s.group(), s.layersDone(),
                            s.residuals(), s.finished(), encode(gates)));
                }
                user.layerDone(timing, () -> null);
            }
        };
        try {
            probe.runBatchesFrom(null, null, batches, n -> false, hooks, false, control);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        double[][][] sums = new double[docs.size()][moeLayers.length][experts];
        long[] tokens = new long[docs.size()];
        int[] chunks = new int[docs.size()];
        for (RoutingPass.Item it : items) {
            chunks[it.doc()]++;
        }
        for (int[] members : plan.batches()) {
            for (int member : members) {
                RoutingPass.Item item = items.get(member);
                double[][] itemSums = new double[moeLayers.length][experts];
                ExpertChoice.addLogitSums(itemSums, gates[member]);
                RoutingPass.add(sums[item.doc()], itemSums);
                tokens[item.doc()] += item.ids().length;
                if (metrics != null) {
                    LabeledTokens d = docs.get(item.doc());
                    metrics.add(new DocumentRouting(d.id(), d.label(), d.kind(), item.ids(), gates[member], moeLayers));
                }
            }
        }
        return new RoutingPass.Result(sums, tokens, chunks, 0, plan.paddingFraction(), List.copyOf(timings),
                groups.size(), resumedLayers[0], moeLayers);
    }

    /** Progress units of a streamed run: each token counted once per part (embedding, layers, head). */
    static long units(List<RoutingPass.Item> items, MoeConfig config) {
        long tokens = 0;
        for (RoutingPass.Item it : items) {
            tokens += it.ids().length;
        }
        return StreamControl.tokenParts(config, tokens);
    }

    private static String fingerprint(String inputs, BatchPlan plan, List<int[]> groups) {
        MessageDigest md = Digests.sha256();
        md.update(("layer-major v1 " + inputs).getBytes(StandardCharsets.UTF_8));
        for (int[] b : plan.batches()) {
            md.update(java.util.Arrays.toString(b).getBytes(StandardCharsets.UTF_8));
        }
        for (int[] g : groups) {
            md.update(("|" + java.util.Arrays.toString(g)).getBytes(StandardCharsets.UTF_8));
        }
        return Digests.hex(md);
    }

    /**
     * Every item's captured MoE layers, a contiguous prefix each (layers run in order): count, then per item
     * layers, t, values; into one buffer of the exact size (a growing stream showed up as this run's Java hot spot).
     */
    private static byte[] encode(float[][][][] gates) {
        long size = 4;
        for (float[][][] item : gates) {
            size += 4;
            for (int l = 0; l < present(item); l++) {
                size += 4 + 4L * item[l].length * (item[l].length == 0 ? 0 : item[l][0].length);
            }
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size));
        out.putInt(gates.length);
        for (float[][][] item : gates) {
            int present = present(item);
            out.putInt(present);
            for (int l = 0; l < present; l++) {
                out.putInt(item[l].length);
                for (float[] row : item[l]) {
                    for (float v : row) {
                        out.putFloat(v);
                    }
                }
            }
        }
        return out.array();
    }

    /** Layers captured so far for one chunk: the length of its non-null prefix. */
    private static int present(float[][][] item) {
        int present = 0;
        while (present < item.length && item[present] != null) {
            present++;
        }
        return present;
    }

    private void restore(byte[] extra, float[][][][] gates, Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(extra);
        try {
            if (in.getInt() != gates.length) {
                throw new IOException(file + ": stream checkpoint holds another number of chunks; remove it to start afresh");
            }
            int experts = config.numExperts();
            for (float[][][] item : gates) {
                int present = in.getInt();
                if (present < 0 || present > item.length) {
                    throw new IOException(file + ": stream checkpoint is damaged (" + present + " layers of gate logits)");
                }
                for (int l = 0; l < present; l++) {
                    float[][] rows = new float[in.getInt()][experts];
                    for (float[] row : rows) {
                        for (int e = 0; e < experts; e++) {
                            row[e] = in.getFloat();
                        }
                    }
                    item[l] = rows;
                }
            }
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IOException(file + ": stream checkpoint is damaged (gate logits cut short)", e);
        }
    }
}
