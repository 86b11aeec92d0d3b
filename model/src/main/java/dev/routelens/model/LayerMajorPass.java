package dev.routelens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One layer-major run of a streamed model over a fixed set of batches: build the embedding and embed
 * every batch, then for each layer build its weights once, run every batch through it and free them,
 * then build the LM head. Memory holds one layer (two when loading ahead) plus the residual stream
 * of the group in flight; weight traffic is paid once per group, not once per batch.
 *
 * <p>The residual of each batch stays on the model's device in the compute dtype, packed [N_b, H].
 * Each (layer, batch) step runs under its own sub-manager, so intermediates never outlive it.
 */
final class LayerMajorPass {
    /** A built layer and the manager owning its weights. */
    private record Built(NDManager manager, DecoderLayer layer, double seconds) implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }

    private final MoeConfig config;
    private final Precision precision;
    private final NDManager manager;
    private final RotaryEmbedding rope;
    private final ExpertDispatch dispatch;
    private final MoeTransformer model;
    private final ModelParts parts;

    LayerMajorPass(MoeConfig config, Precision precision, NDManager manager, ModelParts parts,
                   RotaryEmbedding rope, ExpertDispatch dispatch, MoeTransformer model) {
        this.config = config;
        this.precision = precision;
        this.manager = manager;
        this.rope = rope;
        this.dispatch = dispatch;
        this.model = model;
        this.parts = parts;
    }

    /**
     * Runs {@code batches}: from the embedding when {@code at} is null (or from {@code control}'s resume
     * state), else from {@code at} on the host residuals {@code start} [N_b * H] of each batch.
     */
    ForwardResult[] run(List<TokenBatch> batches, List<? extends ForwardHooks> hooks, boolean nll,
                        StreamControl control, ResumePoint at, List<float[]> start) {
        List<int[]> groups = StreamGroups.split(batches, config, precision, control.memoryBudget());
        ForwardResult[] results = new ForwardResult[batches.size()];
        StreamState resume = at == null ? resumeState(control, groups, batches) : null;
        int firstGroup = 0;
        if (resume != null) {
            firstGroup = resume.group();
            System.arraycopy(resume.finished(), 0, results, 0, results.length);
        }
        ExecutorService loader = control.prefetch() ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "routelens-layer-loader");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            for (int g = firstGroup; g < groups.size(); g++) {
                int[] members = groups.get(g);
                control.groupStarted(g, groups.size(), members);
                List<float[]> residuals = null;
                ResumePoint from = at;
                if (resume != null && g == resume.group()) {
                    residuals = resume.residuals();
                    from = ResumePoint.residPre(resume.layersDone());
                } else if (at != null) {
                    residuals = new ArrayList<>();
                    for (int b : members) {
                        residuals.add(start.get(b));
                    }
                }
                runGroup(g, members, batches, hooks, nll, control, from, residuals, results, loader);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (loader != null) {
                loader.shutdownNow();
            }
        }
        return results;
    }

    private StreamState resumeState(StreamControl control, List<int[]> groups, List<TokenBatch> batches) {
        StreamState s;
        try {
            s = control.resume();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (s == null) {
            return null;
        }
        String problem = null;
        if (s.group() >= groups.size()) {
            problem = "group " + s.group() + " but the run has " + groups.size();
        } else if (s.layersDone() > config.numLayers()) {
            problem = s.layersDone() + " layers done but the model has " + config.numLayers();
        } else if (s.finished().length != batches.size()) {
            problem = s.finished().length + " batch results but the run has " + batches.size() + " batches";
        } else {
            int[] members = groups.get(s.group());
            if (s.residuals().size() != members.length) {
                problem = s.residuals().size() + " residuals but group " + s.group() + " has " + members.length + " batches";
            }
            for (int k = 0; problem == null && k < members.length; k++) {
                long want = (long) batches.get(members[k]).tokenCount() * config.hiddenSize();
                if (s.residuals().get(k).length != want) {
                    problem = "residual " + k + " has " + s.residuals().get(k).length + " values, expected " + want;
                }
            }
            for (int g = 0; problem == null && g < s.group(); g++) {
                for (int b : groups.get(g)) {
                    if (s.finished()[b] == null) {
                        problem = "batch " + b + " of finished group " + g + " has no result";
                    }
                }
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("stream checkpoint does not match this run: " + problem);
        }
        return s;
    }

    private void runGroup(int g, int[] members, List<TokenBatch> batches, List<? extends ForwardHooks> hooks,
                          boolean nll, StreamControl control, ResumePoint from, List<float[]> residuals,
                          ForwardResult[] results, ExecutorService loader) throws IOException {
        int layers = config.numLayers();
        DataType dt = precision.dataType();
        try (NDManager gm = manager.newSubManager()) {
            NDArray[] xs = new NDArray[members.length]; // each [N_b, H], owned by gm
            long groupTokens = 0;
            for (int b : members) {
                groupTokens += batches.get(b).tokenCount();
            }
            int first;
            boolean midFirst = false;
            if (residuals == null) {
                embed(gm, members, batches, hooks, control, g, groupTokens, xs);
                first = 0;
            } else {
                for (int k = 0; k < members.length; k++) {
                    NDArray x = gm.create(residuals.get(k), new Shape(batches.get(members[k]).tokenCount(),
                            config.hiddenSize()));                                             // [N_b, H]
                    xs[k] = dt == DataType.FLOAT32 ? x : x.toType(dt, false);
                }
                first = from.layer();
                midFirst = from.afterAttention();
            }
            Future<Built> ahead = null;
            try {
                for (int i = first; i < layers; i++) {
                    long waitStart = System.nanoTime();
                    Built built = ahead != null ? await(ahead) : build(i);
                    double wait = (System.nanoTime() - waitStart) / 1e9;
                    final int next = i + 1;
                    ahead = loader != null && next < layers ? loader.submit(() -> build(next)) : null;
                    long computeStart = System.nanoTime();
                    try (built) {
                        for (int k = 0; k < members.length; k++) {
                            int b = members[k];
                            TokenBatch batch = batches.get(b);
                            try (NDManager step = gm.newSubManager()) {
                                NDArray x = xs[k];
                                x.attach(step);
                                BatchLayout layout = new BatchLayout(batch, step);
                                NDArray y = midFirst && i == first
                                        ? built.layer().forwardMoe(x, layout, hooks.get(b), dispatch)
                                        : built.layer().forward(x, layout, rope, hooks.get(b), dispatch); // [N_b, H]
                                y.attach(gm);
                                xs[k] = y;
                            }
                            control.batchDone(i, b, batch.tokenCount());
                        }
                    }
                    double compute = (System.nanoTime() - computeStart) / 1e9;
                    final int done = i + 1;
                    control.layerDone(new LayerTiming(g, i, built.seconds(), wait, compute, groupTokens),
                            () -> state(g, done, xs, results));
                }
            } finally {
                if (ahead != null) {
                    ahead.cancel(false);
                    try {
                        await(ahead).close();
                    } catch (RuntimeException | IOException ignored) {
                        // already failing; the first error is the one to report
                    }
                }
            }
            head(gm, members, batches, hooks, nll, control, g, groupTokens, xs, results);
        }
    }

    private void embed(NDManager gm, int[] members, List<TokenBatch> batches, List<? extends ForwardHooks> hooks,
                       StreamControl control, int g, long groupTokens, NDArray[] xs) throws IOException {
        long loadStart = System.nanoTime();
        try (NDManager em = gm.newSubManager()) {
            NDArray table = parts.embedding(em);                                              // [V, H]
            double load = (System.nanoTime() - loadStart) / 1e9;
            long computeStart = System.nanoTime();
            for (int k = 0; k < members.length; k++) {
                TokenBatch batch = batches.get(members[k]);
                try (NDManager step = gm.newSubManager()) {
                    NDArray ids = step.create(batch.packedIds());                              // [N_b]
                    NDArray x = table.get(step, new NDIndex("{}", ids));                      // [N_b, H]
                    x = ForwardHooks.visit(hooks.get(members[k]), MoeTransformer.EMBED, -1, batch, null, x);
                    x.attach(gm);
                    xs[k] = x;
                }
                control.batchDone(-1, members[k], batch.tokenCount());
            }
            control.layerDone(new LayerTiming(g, -1, load, load, (System.nanoTime() - computeStart) / 1e9,
                    groupTokens), () -> null);
        }
    }

    private void head(NDManager gm, int[] members, List<TokenBatch> batches, List<? extends ForwardHooks> hooks,
                      boolean nll, StreamControl control, int g, long groupTokens, NDArray[] xs,
                      ForwardResult[] results) throws IOException {
        boolean needed = false;
        for (int b : members) {
            needed |= MoeTransformer.needsHead(hooks.get(b), nll);
        }
        int layers = config.numLayers();
        if (!needed) {
            for (int k = 0; k < members.length; k++) {
                int b = members[k];
                results[b] = new ForwardResult(new double[batches.get(b).size()], new int[batches.get(b).size()]);
                control.batchDone(layers, b, batches.get(b).tokenCount());
            }
            return;
        }
        long loadStart = System.nanoTime();
        try (NDManager hm = gm.newSubManager()) {
            NDArray table = config.tieWordEmbeddings() ? parts.embedding(hm) : null;         // [V, H]
            RmsNorm norm = parts.finalNorm(hm);
            NDArray lmHead = parts.head(hm, table);                                           // [H, V]
            double load = (System.nanoTime() - loadStart) / 1e9;
            long computeStart = System.nanoTime();
            for (int k = 0; k < members.length; k++) {
                int b = members[k];
                try (NDManager step = gm.newSubManager()) {
                    xs[k].attach(step);
                    results[b] = model.finish(xs[k], batches.get(b), hooks.get(b), nll, norm, lmHead);
                    xs[k] = null;
                }
                control.batchDone(layers, b, batches.get(b).tokenCount());
            }
            control.layerDone(new LayerTiming(g, layers, load, load, (System.nanoTime() - computeStart) / 1e9,
                    groupTokens), () -> null);
        }
    }

    private Built build(int layer) throws IOException {
        long start = System.nanoTime();
        NDManager lm = manager.newSubManager();
        try {
            DecoderLayer built = parts.layer(lm, layer);
            return new Built(lm, built, (System.nanoTime() - start) / 1e9);
        } catch (IOException | RuntimeException | Error e) {
            lm.close();
            throw e;
        }
    }

    private static Built await(Future<Built> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading a layer", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private StreamState state(int group, int layersDone, NDArray[] xs, ForwardResult[] results) {
        List<float[]> host = new ArrayList<>(xs.length);
        for (NDArray x : xs) {
            if (x.getDataType() == DataType.FLOAT32) {
                host.add(x.toFloatArray());
            } else {
                try (NDArray x32 = x.toType(DataType.FLOAT32, false)) {
                    host.add(x32.toFloatArray());
                }
            }
        }
        return new StreamState(group, layersDone, host, results, null);
    }
}
