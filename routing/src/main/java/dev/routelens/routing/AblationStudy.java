package dev.routelens.routing;

import dev.routelens.model.DecoderLayer;
import dev.routelens.model.ContextWindows;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.ResumePoint;
import dev.routelens.model.TokenBatch;
import dev.routelens.core.Digests;
import dev.routelens.probe.BatchCapture;
import dev.routelens.probe.CapturedTensor;
import dev.routelens.probe.Hook;
import dev.routelens.probe.NameFilter;
import dev.routelens.model.SparseMoe;
import dev.routelens.probe.Probe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Knocks out experts (or a shared expert) and measures, per class, the change in next-token NLL and in
 * routing. Only MoE layers can be ablated; routing shifts are counted at the MoE layers.
 *
 * <p>A sweep over every (MoE layer, expert) pair can cache the residual stream: one baseline pass per
 * batch captures {@code layers.{l}.resid.mid}, and each ablation at layer l re-runs only layer l's
 * MoE and layers l+1..L-1 from it. The results equal naive full re-runs.
 */
public final class AblationStudy {
    private final Probe probe;
    private final MoeConfig config;

    public AblationStudy(Probe probe) {
        this.probe = probe;
        this.config = probe.model().config();
    }

    /**
     * Cuts documents longer than the context into chunks of at most {@code max_position_embeddings}
     * tokens; each chunk predicts its own next tokens, and chunks keep their document's label.
     */
    List<LabeledTokens> chunked(List<LabeledTokens> docs) {
        List<LabeledTokens> out = new ArrayList<>();
        for (LabeledTokens d : docs) {
            List<int[]> pieces = ContextWindows.cut(d.ids(), config.maxPositions());
            if (pieces.size() == 1) {
                out.add(d);
                continue;
            }
            for (int k = 0; k < pieces.size(); k++) {
                out.add(new LabeledTokens(d.id() + "#" + k, d.label(), d.kind(), pieces.get(k)));
            }
        }
        return out;
    }

    /** One ablation over {@code docs}. */
    public AblationResult run(List<LabeledTokens> whole, Ablation ablation) {
        ablation.check(config);
        List<LabeledTokens> docs = chunked(whole);
        AblationAccumulator acc = new AblationAccumulator(ablation, docs, config);
        List<int[]> ids = docs.stream().map(LabeledTokens::ids).toList();
        List<int[]> plan = probe.plan(ids).batches();
        // Each batch runs twice, baseline and ablated, as one set: in memory one batch's pair at a time,
        // streamed every batch's pair together so each layer is built once.
        int perSet = probe.model().isStreamed() ? plan.size() : 1;
        for (int from = 0; from < plan.size(); from += perSet) {
            int n = Math.min(perSet, plan.size() - from);
            List<TokenBatch> set = new ArrayList<>();
            List<Map<String, Hook>> hooks = new ArrayList<>();
            for (int copy = 0; copy < 2; copy++) {
                for (int k = from; k < from + n; k++) {
                    set.add(TokenBatch.select(ids, plan.get(k)));
                    hooks.add(copy == 0 ? Map.of() : ablation.hooks(config.topK()));
                }
            }
            List<BatchCapture> out = probe.runBatches(set, SparseMoe.topkFrom(0), hooks, true);
            for (int k = 0; k < n; k++) {
                acc.add(plan.get(from + k), out.get(k), out.get(n + k));
            }
        }
        return acc.result();
    }

    /**
     * The baseline passes over {@code docs}, kept for {@link #run(AblationBaseline, Ablation, boolean)}: one
     * pass per batch capturing top-k at every layer and {@code resid.mid} at every layer. In memory only: a
     * layer-streamed model runs ablations through {@link #run(List, Ablation)} or a sweep.
     */
    public AblationBaseline baseline(List<LabeledTokens> whole) {
        if (probe.model().isStreamed()) {
            throw new IllegalStateException("a kept baseline needs an in-memory model; this one is layer-streamed");
        }
        List<LabeledTokens> docs = chunked(whole);
        List<int[]> ids = docs.stream().map(LabeledTokens::ids).toList();
        List<int[]> members = probe.plan(ids).batches();
        List<TokenBatch> batches = members.stream().map(m -> TokenBatch.select(ids, m)).toList();
        List<BatchCapture> captures = new ArrayList<>();
        for (TokenBatch batch : batches) {
            captures.add(probe.runBatch(batch, SparseMoe.topkFrom(0).or(n -> n.endsWith(".resid.mid")), Map.of(),
                    true));
        }
        return new AblationBaseline(docs, members, batches, captures, config.numLayers());
    }

    /**
     * One ablation over a kept baseline's documents: per batch one ablated pass, resumed from the baseline's
     * {@code resid.mid} at the ablation's layer with {@code residualCaching} (as a sweep's), else a full
     * pass. An ablation at every layer at once always runs in full. Equals {@link #run(List, Ablation)}.
     */
    public AblationResult run(AblationBaseline base, Ablation ablation, boolean residualCaching) {
        ablation.check(config);
        AblationAccumulator acc = new AblationAccumulator(ablation, base.docs, config);
        boolean resume = residualCaching && !ablation.allLayers();
        for (int b = 0; b < base.batchCount(); b++) {
            float[] residual = resume ? base.residual(b, ablation.resumePoint()) : null;
            acc.add(base.members.get(b), base.captures.get(b), ablated(base.batches.get(b), ablation, residual));
        }
        return acc.result();
    }

    /**
     * {@code batch} with {@code a} applied, top-k captured at layers l..L-1 (where the accumulator compares
     * it): resumed from {@code residual} (packed [N*H] at the ablation's resume point), or a full pass when null.
     */
    private BatchCapture ablated(TokenBatch batch, Ablation a, float[] residual) {
        // Both paths capture top-k only where the accumulator compares it: the ablated layer on.
        Predicate<String> names = SparseMoe.topkFrom(a.allLayers() ? 0 : a.layer());
        return residual != null
                ? probe.runBatch(batch, names, a.hooks(config.topK()), true, a.resumePoint(), residual)
                : probe.runBatch(batch, names, a.hooks(config.topK()), true);
    }

    /**
     * Every (MoE layer, expert) pair in {@code mode} (every MoE layer once for top-r and zero-shared).
     * {@code progress} receives the number of ablated batch runs done after each one.
     */
    public AblationSweep sweep(List<LabeledTokens> whole, AblationMode mode, int r, boolean residualCaching,
                               LongConsumer progress) {
        try {
            return sweep(whole, mode, r, residualCaching, progress, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A sweep that snapshots every accumulator to {@code checkpoint} (nullable) after each MoE layer's group of
     * ablations within a batch, and on a later call with the same model, inputs and batches skips the
     * (batch, ablation) runs already done: a partly done batch reruns its baseline pass (deterministic) and
     * only the ablations it lacks. Each accumulator adds its batches in the same order either way, so a
     * resumed sweep equals an uninterrupted one bit for bit.
     */
    public AblationSweep sweep(List<LabeledTokens> whole, AblationMode mode, int r, boolean residualCaching,
                               LongConsumer progress, java.nio.file.Path checkpoint) throws java.io.IOException {
        List<LabeledTokens> docs = chunked(whole);
        List<Ablation> ablations = new ArrayList<>();
        for (int l : config.moeLayers()) {
            if (!mode.needsExpert()) {
                ablations.add(new Ablation(l, 0, mode, mode == AblationMode.TOP_R ? r : 0));
            } else {
                for (int e = 0; e < config.numExperts(); e++) {
                    ablations.add(new Ablation(l, e, mode, 0));
                }
            }
        }
        ablations.forEach(a -> a.check(config));
        List<AblationAccumulator> accs = ablations.stream().map(a -> new AblationAccumulator(a, docs, config)).toList();
        List<int[]> ids = docs.stream().map(LabeledTokens::ids).toList();
        List<int[]> batches = probe.plan(ids).batches();
        String fingerprint = fingerprint(docs, mode, r);
        if (probe.model().isStreamed()) {
            new LayerMajorSweep(probe).run(docs, ablations, accs, checkpoint, fingerprint, progress);
            return new AblationSweep(mode, r, config.moeLayers(), perLayer(mode),
                    accs.stream().map(AblationAccumulator::result).toList());
        }
        int perBatch = ablations.size();
        String planned = fingerprint + " batches " + planDigest(batches); // the done flags index these batches
        boolean[] done = new boolean[batches.size() * perBatch];          // [B*A] (batch, ablation) runs finished
        if (checkpoint != null) {
            restore(checkpoint, planned, accs, done, batches.size() + " batches x " + perBatch + " ablations");
        }
        long runs = 0;
        for (int bi = 0; bi < batches.size(); bi++) {
            int[] members = batches.get(bi);
            int from = bi * perBatch;
            if (allDone(done, from, from + perBatch)) {
                runs += perBatch;
                progress.accept(runs);
                continue;
            }
            TokenBatch batch = TokenBatch.select(ids, members);
            Predicate<String> baseNames = residualCaching
                    ? SparseMoe.topkFrom(0).or(NameFilter.of(DecoderLayer.RESID_MID_EVERY_LAYER)) : SparseMoe.topkFrom(0);
            BatchCapture base = probe.runBatch(batch, baseNames, Map.of(), true);
            float[][] residuals = new float[config.numLayers()][]; // packed [N*H] per layer, made once per batch
            for (int i = 0; i < perBatch; i++) {
                Ablation a = ablations.get(i);
                if (done[from + i]) {
                    runs++; // restored from the snapshot; reported with the next run
                    continue;
                }
                ResumePoint at = a.resumePoint();
                if (residualCaching && residuals[a.layer()] == null) {
                    residuals[a.layer()] = base.packed(at.hookName());
                }
                accs.get(i).add(members, base, ablated(batch, a, residualCaching ? residuals[a.layer()] : null));
                done[from + i] = true;
                boolean layerGroupEnds = i + 1 == perBatch || ablations.get(i + 1).layer() != a.layer();
                if (checkpoint != null && layerGroupEnds) {
                    save(checkpoint, planned, accs, done);
                }
                progress.accept(++runs);
            }
        }
        return new AblationSweep(mode, r, config.moeLayers(), perLayer(mode),
                accs.stream().map(AblationAccumulator::result).toList());
    }

    /** Ablations a sweep makes per MoE layer: every expert, or one for top-r and zero-shared. */
    private int perLayer(AblationMode mode) {
        return mode.needsExpert() ? config.numExperts() : 1;
    }

    /** Ablated batch runs a sweep will make, for progress bars. */
    public long sweepRuns(List<LabeledTokens> docs, AblationMode mode) {
        long perBatch = (long) config.moeLayers().length * perLayer(mode);
        return perBatch * probe.plan(chunked(docs).stream().map(LabeledTokens::ids).toList()).batches().size();
    }

    /** What a sweep snapshots: every accumulator's maps, in ablation order. */
    record SweepState(java.util.ArrayList<LinkedHashMap<String, double[]>> nll,
                              java.util.ArrayList<LinkedHashMap<String, long[][]>> shift) implements java.io.Serializable {
    }

    /** Whether every flag in {@code done[from, to)} is set. */
    private static boolean allDone(boolean[] done, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!done[i]) {
                return false;
            }
        }
        return true;
    }

    /** Snapshots every accumulator with the flags of the units (batches, layers or runs) done. */
    static void save(java.nio.file.Path checkpoint, String fingerprint, List<AblationAccumulator> accs, boolean[] done)
            throws java.io.IOException {
        java.util.ArrayList<LinkedHashMap<String, double[]>> nll = new java.util.ArrayList<>();
        java.util.ArrayList<LinkedHashMap<String, long[][]>> shift = new java.util.ArrayList<>();
        for (AblationAccumulator a : accs) {
            nll.add(a.nll);
            shift.add(a.shift);
        }
        Snapshots.save(checkpoint, new Snapshots.Snapshot(fingerprint, done.clone(), new SweepState(nll, shift)));
    }

    /**
     * Restores every accumulator and the done flags from {@code checkpoint}, if it exists. A snapshot of this
     * run whose state or flags do not fit this sweep ({@code units} says what the flags count) is an error
     * naming the file, never silently ignored: starting over would overwrite finished work.
     */
    static void restore(java.nio.file.Path checkpoint, String fingerprint, List<AblationAccumulator> accs, boolean[] done,
                        String units) throws java.io.IOException {
        var snapshot = Snapshots.load(checkpoint, fingerprint);
        if (snapshot.isEmpty()) {
            return;
        }
        boolean[] saved = snapshot.get().batchesDone();
        if (!(snapshot.get().state() instanceof SweepState st) || st.nll().size() != accs.size()
                || st.shift().size() != accs.size() || saved == null || saved.length != done.length) {
            throw new IllegalArgumentException(checkpoint + ": checkpoint does not fit this sweep of " + units
                    + " (" + (saved == null ? "no" : saved.length) + " done flags); it was written by another version"
                    + " of RouteLens; remove it to start over");
        }
        for (int i = 0; i < accs.size(); i++) {
            accs.get(i).restore(st.nll().get(i), st.shift().get(i));
        }
        System.arraycopy(saved, 0, done, 0, done.length);
    }

    /** A digest of the batch plan: which documents each batch holds, in order. */
    private static String planDigest(List<int[]> batches) {
        var md = Digests.sha256();
        for (int[] members : batches) {
            md.update((Arrays.toString(members) + ";").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return Digests.hex(md);
    }

    private String fingerprint(List<LabeledTokens> docs, AblationMode mode, int r) {
        var md = Digests.sha256();
        md.update((mode + ":" + r + ":" + RoutingPass.configText(config) + probe.model().origin())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (LabeledTokens d : docs) {
            md.update((d.id() + "|" + d.label() + "|" + Arrays.toString(d.ids())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return Digests.hex(md);
    }
}
