package dev.routelens.probe;

import dev.routelens.model.ContextWindows;
import dev.routelens.model.DecoderLayer;
import dev.routelens.model.ForwardResult;
import dev.routelens.model.HookSite;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.ResumePoint;
import dev.routelens.model.StreamControl;
import dev.routelens.model.TokenBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Capture and intervention on a model. Hooks at a site run in registration order (scoped hooks
 * first, then the run's own), and a capture sees the tensor after them: what the model uses.
 */
public final class Probe {
    /** Default batch limits: padded tokens and documents per forward pass. */
    public static final int DEFAULT_MAX_TOKENS = 4096;
    public static final int DEFAULT_MAX_DOCUMENTS = 32;

    private final MoeTransformer model;
    private final List<Dispatcher.Registration> scoped = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> knownHookKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile List<String> siteNames; // the model's hook sites, made on first use
    private int maxTokens = DEFAULT_MAX_TOKENS;
    private int maxDocuments = DEFAULT_MAX_DOCUMENTS;
    private StreamControl streaming = StreamControl.NONE;

    public Probe(MoeTransformer model) {
        this.model = model;
    }

    public MoeTransformer model() {
        return model;
    }

    /** Sets the batch limits used by the verbs. */
    public Probe batchLimits(int maxTokens, int maxDocuments) {
        BatchPlan.of(List.of(), maxTokens, maxDocuments);
        this.maxTokens = maxTokens;
        this.maxDocuments = maxDocuments;
        return this;
    }

    /**
     * How runs of a layer-streamed model are steered and reported (memory budget, loading ahead,
     * progress); ignored by an in-memory model except for progress.
     */
    public Probe streaming(StreamControl control) {
        this.streaming = control;
        return this;
    }

    /** The stream control the verbs use. */
    public StreamControl streaming() {
        return streaming;
    }

    /**
     * Registers hooks (name or glob -> hook) for every run until the returned scope closes.
     * They are global state of this probe while registered.
     */
    public HookScope hooks(Map<String, Hook> hooks) {
        List<Dispatcher.Registration> added = registrations(hooks);
        scoped.addAll(added);
        return new HookScope(() -> scoped.removeAll(added));
    }

    /** Number of scoped hooks registered now (0 once every scope has closed). */
    public int activeHookCount() {
        return scoped.size();
    }

    /**
     * Captures the tensors whose names pass {@code filter}, per document, with no padding. Documents may be
     * of any length: see {@link #forEachDocument} for those longer than the context.
     */
    public ActivationCache runWithCache(List<int[]> docs, Predicate<String> filter) {
        return runWithCache(docs, filter, Map.of(), true);
    }

    /** Captures under extra hooks for this run only. */
    public ActivationCache runWithCache(List<int[]> docs, Predicate<String> filter, Map<String, Hook> hooks, boolean nll) {
        List<Map<String, CapturedTensor>> perDoc = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            perDoc.add(null);
        }
        double[] sums = new double[docs.size()];
        int[] counts = new int[docs.size()];
        forEachDocument(docs, filter, hooks, nll, (doc, captured, nllSum, nllCount) -> {
            perDoc.set(doc, captured);
            sums[doc] = nllSum;
            counts[doc] = nllCount;
        });
        return new ActivationCache(perDoc, new ForwardResult(sums, counts));
    }

    /** Runs with hooks that may replace tensors; returns per-document NLL. Documents may be of any length. */
    public ForwardResult runWithHooks(List<int[]> docs, Map<String, Hook> hooks) {
        return runWithCache(docs, name -> false, hooks, true).result();
    }

    /**
     * The streaming form of both verbs: runs length-bucketed batches and hands each document's
     * captures to {@code sink} as soon as its batch is done, so memory stays flat over any corpus.
     *
     * <p>Documents of any length: one longer than the model's context ({@code max_position_embeddings}) is
     * cut into pieces of at most the context ({@link ContextWindows}, as the routing studies cut them), each
     * piece its own forward pass, so attention does not cross pieces and a piece's first token predicts
     * nothing. The sink still gets one call per document, once all its pieces have run: each tensor's rows
     * concatenated over the pieces in token order ({@code positions} of {@code moe.experts.{j}.out} are
     * document-local), NLL sums and counts added. Hooks see one piece at a time; {@link HookSite#document}
     * names the caller's document.
     */
    public void forEachDocument(List<int[]> docs, Predicate<String> filter, Map<String, Hook> hooks, boolean nll,
                                DocumentSink sink) {
        List<ContextWindows.Piece> pieces = ContextWindows.cut(docs, model.config().maxPositions());
        if (pieces.size() == docs.size()) {
            run(docs, null, filter, hooks, nll, sink);
            return;
        }
        int[] owner = pieces.stream().mapToInt(ContextWindows.Piece::doc).toArray(); // [pieces]
        run(pieces.stream().map(ContextWindows.Piece::ids).toList(), owner, filter, hooks, nll,
                new PieceJoiner(pieces, docs.size(), model.hookNames(), sink));
    }

    /**
     * Runs {@code docs} (each within the context) in length-bucketed batches; {@code owner} (nullable) is the
     * caller's document of each, for hooks. {@code sink} gets indices into {@code docs}.
     */
    private void run(List<int[]> docs, int[] owner, Predicate<String> filter, Map<String, Hook> hooks, boolean nll,
                     DocumentSink sink) {
        List<Dispatcher.Registration> runHooks = registrations(hooks);
        BatchPlan plan = plan(docs);
        if (model.isStreamed()) {
            // Layer-major: every batch passes layer i before any passes layer i+1, so each layer's
            // weights are built once; captures are handed out when the whole set is done.
            List<TokenBatch> batches = new ArrayList<>();
            List<Dispatcher> dispatchers = new ArrayList<>();
            for (int[] members : plan.batches()) {
                batches.add(TokenBatch.select(docs, members));
                dispatchers.add(new Dispatcher(scoped, runHooks, filter, documents(members, owner)));
            }
            ForwardResult[] results = model.forwardAll(batches, dispatchers, nll, streaming);
            for (int k = 0; k < batches.size(); k++) {
                int[] members = plan.batches().get(k);
                for (int b = 0; b < members.length; b++) {
                    sink.accept(members[b], dispatchers.get(k).split(batches.get(k), b), results[k].nllSum()[b],
                            results[k].nllCount()[b]);
                }
            }
            return;
        }
        for (int[] members : plan.batches()) {
            TokenBatch batch = TokenBatch.select(docs, members);
            Dispatcher dispatcher = new Dispatcher(scoped, runHooks, filter, documents(members, owner));
            ForwardResult result = model.forward(batch, dispatcher, nll);
            for (int b = 0; b < members.length; b++) {
                sink.accept(members[b], dispatcher.split(batch, b), result.nllSum()[b], result.nllCount()[b]);
            }
        }
    }

    /** The caller's document of each batch member: the member itself, or its owner. // [B] */
    private static int[] documents(int[] members, int[] owner) {
        if (owner == null) {
            return members;
        }
        int[] out = new int[members.length];
        for (int b = 0; b < members.length; b++) {
            out[b] = owner[members[b]];
        }
        return out;
    }

    /** Runs one batch as given (no re-bucketing): a full forward pass. */
    public BatchCapture runBatch(TokenBatch batch, Predicate<String> filter, Map<String, Hook> hooks, boolean nll) {
        return runBatches(List.of(batch), filter, List.of(hooks), nll).get(0);
    }

    /**
     * Runs one batch as given (no re-bucketing), from {@code at} on a packed residual [N * H] captured at
     * {@code at.hookName()}. Ablation sweeps use it to re-run only what an intervention reaches.
     */
    public BatchCapture runBatch(TokenBatch batch, Predicate<String> filter, Map<String, Hook> hooks, boolean nll,
                                 ResumePoint at, float[] residual) {
        return runBatchesFrom(at, List.of(residual), List.of(batch), filter, List.of(hooks), nll).get(0);
    }

    /**
     * Runs a fixed set of batches as given, batch b under {@code hooks.get(b)}: one after another in
     * memory, layer by layer when the model is streamed (each layer built once for the whole set).
     * An ablation study runs its baseline and ablated copies of every batch as one such set.
     */
    public List<BatchCapture> runBatches(List<TokenBatch> batches, Predicate<String> filter,
                                         List<Map<String, Hook>> hooks, boolean nll) {
        return runBatchesFrom(null, null, batches, filter, hooks, nll);
    }

    /**
     * {@link #runBatches} from {@code at} on each batch's packed residual captured there; a full pass
     * when {@code at} is null.
     */
    public List<BatchCapture> runBatchesFrom(ResumePoint at, List<float[]> residuals, List<TokenBatch> batches,
                                             Predicate<String> filter, List<Map<String, Hook>> hooks, boolean nll) {
        return runBatchesFrom(at, residuals, batches, filter, hooks, nll, streaming);
    }

    /** {@link #runBatchesFrom} under {@code control} instead of this probe's own stream control. */
    public List<BatchCapture> runBatchesFrom(ResumePoint at, List<float[]> residuals, List<TokenBatch> batches,
                                             Predicate<String> filter, List<Map<String, Hook>> hooks, boolean nll,
                                             StreamControl control) {
        if (hooks.size() != batches.size()) {
            throw new IllegalArgumentException(batches.size() + " batches but " + hooks.size() + " hook maps");
        }
        List<Dispatcher> dispatchers = new ArrayList<>();
        for (Map<String, Hook> h : hooks) {
            dispatchers.add(new Dispatcher(scoped, registrations(h), filter, null));
        }
        ForwardResult[] results = at == null
                ? model.forwardAll(batches, dispatchers, nll, control)
                : model.forwardAllFrom(at, residuals, batches, dispatchers, nll, control);
        List<BatchCapture> out = new ArrayList<>(batches.size());
        for (int k = 0; k < batches.size(); k++) {
            TokenBatch batch = batches.get(k);
            List<Map<String, CapturedTensor>> perDoc = new ArrayList<>(batch.size());
            for (int b = 0; b < batch.size(); b++) {
                perDoc.add(dispatchers.get(k).split(batch, b));
            }
            out.add(new BatchCapture(batch, perDoc, results[k]));
        }
        return out;
    }

    /** The length-bucketed batches this probe would run {@code docs} in. */
    public BatchPlan plan(List<int[]> docs) {
        return BatchPlan.of(docs, maxTokens, maxDocuments);
    }

    /** Hooks as registrations; a name or glob that matches no site of this model is refused, by name. */
    private List<Dispatcher.Registration> registrations(Map<String, Hook> hooks) {
        List<Dispatcher.Registration> out = new ArrayList<>();
        for (Map.Entry<String, Hook> e : hooks.entrySet()) {
            Predicate<String> matcher = NameFilter.of(e.getKey());
            checkHookKey(e.getKey(), matcher);
            out.add(new Dispatcher.Registration(matcher, e.getValue()));
        }
        return out;
    }

    /**
     * Refuses a hook that could never run: its name or glob matches none of the model's sites
     * ({@link MoeTransformer#hookNames()}), e.g. {@code layers.0.moe.gate} where layer 0 is dense.
     */
    private void checkHookKey(String key, Predicate<String> matcher) {
        if (knownHookKeys.contains(key)) {
            return;
        }
        List<String> sites = siteNames;
        if (sites == null) {
            sites = model.hookNames();
            siteNames = sites;
        }
        if (sites.stream().noneMatch(matcher)) {
            var c = model.config();
            String hint = "";
            int layer = DecoderLayer.layerOf(key);
            if (layer >= 0 && layer < c.numLayers() && !c.isMoeLayer(layer)) {
                hint = "; layer " + layer + " is a dense layer (mlp.in, mlp.out, no router), the MoE layers are "
                        + java.util.Arrays.toString(c.moeLayers());
            }
            throw new IllegalArgumentException("no hook site of this " + c.modelType() + " model matches '" + key + "'"
                    + hint);
        }
        knownHookKeys.add(key);
    }
}
