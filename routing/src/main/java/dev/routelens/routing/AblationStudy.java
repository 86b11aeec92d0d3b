package dev.routelens.routing;

import dev.routelens.model.MoeConfig;
import dev.routelens.model.ResumePoint;
import dev.routelens.model.TokenBatch;
import dev.routelens.probe.BatchCapture;
import dev.routelens.probe.CapturedTensor;
import dev.routelens.probe.HookPoints;
import dev.routelens.probe.Probe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Knocks out experts and measures, per class, the change in next-token NLL and in routing.
 *
 * <p>A sweep over every (layer, expert) pair can cache the residual stream: one baseline pass per
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
        int p = config.maxPositions();
        List<LabeledTokens> out = new ArrayList<>();
        for (LabeledTokens d : docs) {
            if (d.ids().length <= p) {
                out.add(d);
                continue;
            }
            for (int from = 0, k = 0; from < d.ids().length; from += p, k++) {
                out.add(new LabeledTokens(d.id() + "#" + k, d.label(), d.kind(),
                        Arrays.copyOfRange(d.ids(), from, Math.min(d.ids().length, from + p))));
            }
        }
        return out;
    }

    /** One ablation over {@code docs}. */
    public AblationResult run(List<LabeledTokens> whole, Ablation ablation) {
        ablation.check(config);
        List<LabeledTokens> docs = chunked(whole);
        Accumulator acc = new Accumulator(ablation, docs);
        List<int[]> ids = docs.stream().map(LabeledTokens::ids).toList();
        for (int[] members : probe.plan(ids).batches()) {
            TokenBatch batch = batchOf(ids, members);
            BatchCapture base = probe.runBatch(batch, HookPoints.topkFrom(0), Map.of(), true, 0, null);
            BatchCapture ablated = probe.runBatch(batch, HookPoints.topkFrom(0), ablation.hooks(config.topK()), true, 0, null);
            acc.add(members, base, ablated);
        }
        return acc.result();
    }

    /**
     * Every (layer, expert) pair in {@code mode} (every layer once for top-r). {@code progress}
     * receives the number of ablated batch runs done after each one.
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
     * A sweep that snapshots every accumulator after each batch to {@code checkpoint} (nullable), and
     * on a later call with the same model and inputs skips the batches already done.
     */
    public AblationSweep sweep(List<LabeledTokens> whole, AblationMode mode, int r, boolean residualCaching,
                               LongConsumer progress, java.nio.file.Path checkpoint) throws java.io.IOException {
        List<LabeledTokens> docs = chunked(whole);
        List<Ablation> ablations = new ArrayList<>();
        for (int l = 0; l < config.numLayers(); l++) {
            if (mode == AblationMode.TOP_R) {
                ablations.add(new Ablation(l, 0, mode, r));
            } else {
                for (int e = 0; e < config.numExperts(); e++) {
                    ablations.add(new Ablation(l, e, mode, 0));
                }
            }
        }
        ablations.forEach(a -> a.check(config));
        List<Accumulator> accs = ablations.stream().map(a -> new Accumulator(a, docs)).toList();
        List<int[]> ids = docs.stream().map(LabeledTokens::ids).toList();
        List<int[]> batches = probe.plan(ids).batches();
        boolean[] finished = new boolean[batches.size()];
        String fingerprint = fingerprint(docs, mode, r);
        if (checkpoint != null) {
            var snapshot = Snapshots.load(checkpoint, fingerprint);
            if (snapshot.isPresent() && snapshot.get().state() instanceof SweepState st
                    && st.nll().size() == accs.size() && snapshot.get().batchesDone().length == finished.length) {
                for (int i = 0; i < accs.size(); i++) {
                    accs.get(i).restore(st.nll().get(i), st.shift().get(i));
                }
                System.arraycopy(snapshot.get().batchesDone(), 0, finished, 0, finished.length);
            }
        }
        long done = 0;
        for (int bi = 0; bi < batches.size(); bi++) {
            int[] members = batches.get(bi);
            if (finished[bi]) {
                done += ablations.size();
                progress.accept(done);
                continue;
            }
            TokenBatch batch = batchOf(ids, members);
            Predicate<String> baseNames = residualCaching
                    ? HookPoints.topkFrom(0).or(n -> n.endsWith(".resid.mid")) : HookPoints.topkFrom(0);
            BatchCapture base = probe.runBatch(batch, baseNames, Map.of(), true, 0, null);
            float[][] residuals = new float[config.numLayers()][]; // packed [N*H] per layer, made once per batch
            for (int i = 0; i < ablations.size(); i++) {
                Ablation a = ablations.get(i);
                ResumePoint at = a.resumePoint();
                if (residualCaching && residuals[a.layer()] == null) {
                    residuals[a.layer()] = base.packed(at.hookName());
                }
                // Both paths capture top-k only where the accumulator compares it: layers l..L-1.
                BatchCapture ablated = residualCaching
                        ? probe.runBatch(batch, HookPoints.topkFrom(a.layer()), a.hooks(config.topK()), true, at,
                                residuals[a.layer()])
                        : probe.runBatch(batch, HookPoints.topkFrom(a.layer()), a.hooks(config.topK()), true, 0, null);
                accs.get(i).add(members, base, ablated);
                progress.accept(++done);
            }
            finished[bi] = true;
            if (checkpoint != null) {
                java.util.ArrayList<LinkedHashMap<String, double[]>> nll = new java.util.ArrayList<>();
                java.util.ArrayList<LinkedHashMap<String, long[][]>> shift = new java.util.ArrayList<>();
                for (Accumulator a : accs) {
                    nll.add(a.nll);
                    shift.add(a.shift);
                }
                Snapshots.save(checkpoint, new Snapshots.Snapshot(fingerprint, finished.clone(), new SweepState(nll, shift)));
            }
        }
        return new AblationSweep(mode, r, config.numLayers(), mode == AblationMode.TOP_R ? 1 : config.numExperts(),
                accs.stream().map(Accumulator::result).toList());
    }

    /** Ablated batch runs a sweep will make, for progress bars. */
    public long sweepRuns(List<LabeledTokens> docs, AblationMode mode) {
        long perBatch = (long) config.numLayers() * (mode == AblationMode.TOP_R ? 1 : config.numExperts());
        return perBatch * probe.plan(chunked(docs).stream().map(LabeledTokens::ids).toList()).batches().size();
    }

    private static TokenBatch batchOf(List<int[]> ids, int[] members) {
        List<int[]> docs = new ArrayList<>(members.length);
        for (int m : members) {
            docs.add(ids.get(m));
        }
        return new TokenBatch(docs);
    }

    /** What a sweep snapshots: every accumulator's maps, in ablation order. */
    private record SweepState(java.util.ArrayList<LinkedHashMap<String, double[]>> nll,
                              java.util.ArrayList<LinkedHashMap<String, long[][]>> shift) implements java.io.Serializable {
    }

    private String fingerprint(List<LabeledTokens> docs, AblationMode mode, int r) {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            md.update((mode + ":" + r + ":" + config.toJson() + probe.model().origin()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (LabeledTokens d : docs) {
                md.update((d.id() + "|" + d.label() + "|" + Arrays.toString(d.ids())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per-class NLL sums and routing-shift counts for one ablation. */
    private final class Accumulator {
        private final Ablation ablation;
        private final List<LabeledTokens> docs;
        private LinkedHashMap<String, double[]> nll = new LinkedHashMap<>();      // label -> {base, ablated, tokens}
        private LinkedHashMap<String, long[][]> shift = new LinkedHashMap<>();    // label -> {changed[L], total[L]}

        void restore(LinkedHashMap<String, double[]> savedNll, LinkedHashMap<String, long[][]> savedShift) {
            this.nll = savedNll;
            this.shift = savedShift;
        }

        Accumulator(Ablation ablation, List<LabeledTokens> docs) {
            this.ablation = ablation;
            this.docs = docs;
            for (LabeledTokens d : docs) {
                nll.computeIfAbsent(d.label(), k -> new double[3]);
                shift.computeIfAbsent(d.label(), k -> new long[2][config.numLayers()]);
            }
            nll.put(RoutingReport.ALL_CLASSES, new double[3]);
            shift.put(RoutingReport.ALL_CLASSES, new long[2][config.numLayers()]);
        }

        void add(int[] members, BatchCapture base, BatchCapture ablated) {
            int k = config.topK();
            for (int b = 0; b < members.length; b++) {
                String label = docs.get(members[b]).label();
                for (String key : List.of(label, RoutingReport.ALL_CLASSES)) {
                    double[] s = nll.get(key);
                    s[0] += base.result().nllSum()[b];
                    s[1] += ablated.result().nllSum()[b];
                    s[2] += base.result().nllCount()[b];
                }
                for (int l = ablation.layer(); l < config.numLayers(); l++) {
                    CapturedTensor before = base.perDocument().get(b).get(HookPoints.topk(l));
                    CapturedTensor after = ablated.perDocument().get(b).get(HookPoints.topk(l));
                    int tokens = before.rows();
                    int changed = 0;
                    long[] x = before.longs();                     // [tokens*k]
                    long[] y = after.longs();                      // [tokens*k]
                    for (int t = 0; t < tokens; t++) {
                        if (!sameSet(x, y, t * k, k)) {
                            changed++;
                        }
                    }
                    for (String key : List.of(label, RoutingReport.ALL_CLASSES)) {
                        shift.get(key)[0][l] += changed;
                        shift.get(key)[1][l] += tokens;
                    }
                }
            }
        }

        /** Whether rows [from, from+k) of x and y hold the same experts; a row's k experts are distinct. */
        private static boolean sameSet(long[] x, long[] y, int from, int k) {
            for (int i = from; i < from + k; i++) {
                boolean found = false;
                for (int j = from; j < from + k && !found; j++) {
                    found = x[i] == y[j];
                }
                if (!found) {
                    return false;
                }
            }
            return true;
        }

        AblationResult result() {
            List<AblationResult.ClassNll> classes = new ArrayList<>();
            Map<String, double[]> fractions = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : nll.entrySet()) {
                double[] s = e.getValue();
                long tokens = (long) s[2];
                classes.add(new AblationResult.ClassNll(e.getKey(), tokens == 0 ? Double.NaN : s[0] / tokens,
                        tokens == 0 ? Double.NaN : s[1] / tokens, tokens));
                long[][] c = shift.get(e.getKey());
                double[] f = new double[config.numLayers()];
                for (int l = 0; l < f.length; l++) {
                    f[l] = l < ablation.layer() || c[1][l] == 0 ? Double.NaN : c[0][l] / (double) c[1][l];
                }
                fractions.put(e.getKey(), f);
            }
            return new AblationResult(ablation, classes, fractions);
        }
    }
}
