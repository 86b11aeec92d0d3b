package dev.routelens.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.checkpoint.CheckpointExporter;
import dev.routelens.model.checkpoint.SafeDType;
import dev.routelens.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a Mixtral-layout model from its seeded random init on packed corpus rows.
 *
 * <p>Per step: a fresh {@link NDManager} (parameters tempAttach-ed to it, closed at the end), gradients
 * zeroed, loss = cross-entropy + {@code aux_loss_coef} * load-balancing loss, backward, global gradient
 * norm clipped to {@code grad_clip}, AdamW with the warm-up + cosine learning rate. Output directory:
 * the HF checkpoint (config.json, model.safetensors in BF16, tokenizer files), {@code train_state.*}
 * for {@code --resume}, {@code train_log.csv}, and the training curve {@code train_curve.png/.svg/.csv}. With
 * {@code keep_checkpoints}, each checkpoint is also kept in {@code step-NNNNN/} (config, BF16 weights, tokenizer).
 *
 * <p>Run from the command line as {@code routelens train --config FILE --out DIR [--resume]} (the cli module's
 * {@code TrainCommand}), which pins PyTorch's threads before calling {@link #run(TrainConfig, Path, boolean)}.
 */
public final class Trainer {
    public static final String LOG_FILE = "train_log.csv";
    public static final String CURVE_FILE = "train_curve.png";

    /** What a finished run reports. */
    public record Result(long steps, long tokensSeen, double elapsedSeconds, double finalLoss, double finalAuxLoss,
                         Path checkpoint) {
    }

    private final TrainConfig config;
    private final Path out;
    private final PrintStream console;

    private Trainer(TrainConfig config, Path out, PrintStream console) {
        this.config = config;
        this.out = out;
        this.console = console;
    }

    /** Runs (or resumes) training; prints one progress line per step to standard output. */
    public static Result run(TrainConfig config, Path out, boolean resume) throws IOException {
        return run(config, out, resume, config.steps(), System.out);
    }

    /**
     * Runs until step {@code stopAfter} (at most {@code config.steps()}), writing a checkpoint there
     * too; the learning-rate schedule still follows {@code config.steps()}. Tests use it to interrupt a run.
     */
    public static Result run(TrainConfig config, Path out, boolean resume, long stopAfter, PrintStream console)
            throws IOException {
        Files.createDirectories(out);
        if (!resume && Files.exists(out.resolve(TrainState.JSON_FILE))) {
            throw new IOException(out + " already holds a training run (" + TrainState.JSON_FILE
                    + "); pass --resume or choose another directory");
        }
        if (resume) {
            requireSameConfig(config, out.resolve(CONFIG_FILE));
        }
        return new Trainer(config, out, console).train(resume, Math.min(stopAfter, config.steps()));
    }

    /** The config a run writes beside its checkpoints, and that a resume must match. */
    public static final String CONFIG_FILE = "train_config.json";

    /**
     * Refuses a resume whose config differs from the one the run in {@code file}'s folder started with, naming
     * each field: a resume with another learning rate or model would silently continue a different run and then
     * overwrite the record of the first.
     */
    static void requireSameConfig(TrainConfig config, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return; // killed before it was written: nothing of that run to keep
        }
        com.fasterxml.jackson.databind.JsonNode before;
        try {
            before = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": unreadable (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        java.util.List<String> differences = new java.util.ArrayList<>();
        differences("", before, config.toJson(), differences);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("--resume: the config differs from the run in " + file.getParent() + " in "
                    + String.join("; ", differences) + "; resume with that run's config, or train into a new folder");
        }
    }

    private static void differences(String at, com.fasterxml.jackson.databind.JsonNode was,
                                    com.fasterxml.jackson.databind.JsonNode now, java.util.List<String> out) {
        if (was != null && now != null && was.isObject() && now.isObject()) {
            java.util.Set<String> names = new java.util.TreeSet<>();
            was.fieldNames().forEachRemaining(names::add);
            now.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                differences(at.isEmpty() ? n : at + "." + n, was.get(n), now.get(n), out);
            }
        } else if (was == null || now == null || !was.toString().equals(now.toString())) { // text: 5 as int = 5 as long
            out.add(at + " " + (now == null ? "(absent)" : now) + " (that run: " + (was == null ? "absent" : was) + ")");
        }
    }

    private Result train(boolean resume, long stopAfter) throws IOException {
        TrainingData data;
        try (Tokenizer tokenizer = Tokenizer.load(config.tokenizerDir())) {
            if (tokenizer.vocabSize() != config.model().vocabSize()) {
                throw new IllegalArgumentException("tokenizer in " + config.tokenizerDir() + " has " + tokenizer.vocabSize()
                        + " ids, the model's vocab_size is " + config.model().vocabSize());
            }
            data = TrainingData.load(config, tokenizer);
        }
        console.printf(Locale.ROOT, "data: %d training documents (%d tokens/epoch, %d rows of %d), %d held-out documents, "
                        + "%d duplicates of held-out texts left out%n", data.trainingDocuments().size(), data.streamTokens(),
                data.rowsPerEpoch(), config.seqLength(), data.heldOut().size(), data.droppedDuplicates());
        config.write(out.resolve(CONFIG_FILE));
        int layers = config.model().numLayers();
        int experts = config.model().numExperts();
        try (TrainableMoe model = TrainableMoe.create(config.model(), RandomWeights.of(config.initSeed()), DataType.FLOAT32)) {
            model.setAuxLoss(config.auxLossMode());
            AdamW optimizer = new AdamW(0.9, 0.95, 1e-8, config.weightDecay());
            long step = 0;
            long nextRow = 0;
            long tokensSeen = 0;
            double elapsedBefore = 0;
            if (resume) {
                TrainState state = TrainState.restore(out, model, optimizer);
                step = state.step();
                nextRow = state.nextRow();
                tokensSeen = state.tokensSeen();
                elapsedBefore = state.elapsedSeconds();
                console.printf(Locale.ROOT, "resumed at step %d (row %d)%n", step, nextRow);
            }
            int[][] evalRows = config.evalEvery() > 0 ? heldOutRows(data, config.seqLength(), config.evalRows()) : null;
            long started = System.nanoTime();
            double loss = Double.NaN;
            double aux = Double.NaN;
            try (TrainLog log = TrainLog.open(out.resolve(LOG_FILE), layers, experts, resume, step)) {
                while (step < stopAfter) {
                    long t0 = System.nanoTime();
                    step++;
                    int[][] rows = data.rows(nextRow, config.batchRows());
                    nextRow += config.batchRows();
                    double lr = config.learningRate(step);
                    StepStats s = step(model, optimizer, rows, lr);
                    tokensSeen += config.tokensPerStep();
                    loss = s.loss;
                    aux = s.aux;
                    if (!Double.isFinite(s.loss) || !Double.isFinite(s.gradNorm)) {
                        throw new IllegalStateException("step " + step + ": loss " + s.loss + ", gradient norm " + s.gradNorm
                                + " is not finite; stopping (last good checkpoint in " + out + ")");
                    }
                    double heldout = Double.NaN;
                    if (evalRows != null && step % config.evalEvery() == 0) {
                        heldout = crossEntropy(model, evalRows);
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double[][] load = new double[layers][experts];
                    for (int i = 0; i < layers; i++) {
                        long total = 0;
                        for (long c : s.slots[i]) {
                            total += c;
                        }
                        for (int j = 0; j < experts; j++) {
                            load[i][j] = s.slots[i][j] / (double) total;
                        }
                    }
                    log.append(new TrainLog.Row(step, lr, s.loss, s.aux, s.gradNorm, config.tokensPerStep() / seconds,
                            tokensSeen, heldout, load));
                    console.printf(Locale.ROOT, "step %d/%d lr %.2e loss %.4f aux %.4f grad %.3f %.0f tok/s%s%n", step,
                            config.steps(), lr, s.loss, s.aux, s.gradNorm, config.tokensPerStep() / seconds,
                            Double.isNaN(heldout) ? "" : String.format(Locale.ROOT, " held-out %.4f", heldout));
                    if (step % config.checkpointEvery() == 0 || step == stopAfter) {
                        double elapsed = elapsedBefore + (System.nanoTime() - started) / 1e9;
                        checkpoint(model, optimizer, step, nextRow, tokensSeen, elapsed);
                    }
                }
            }
            TrainingCurve.draw(out.resolve(LOG_FILE), out.resolve(CURVE_FILE));
            double elapsed = elapsedBefore + (System.nanoTime() - started) / 1e9;
            return new Result(step, tokensSeen, elapsed, loss, aux, out);
        }
    }

    private void checkpoint(TrainableMoe model, AdamW optimizer, long step, long nextRow, long tokensSeen, double elapsed)
            throws IOException {
        if (config.keepCheckpoints()) {
            // before the resume state: a kill in between repeats this step on resume and rewrites the same folder
            Path kept = out.resolve(TrainConfig.stepFolder(step));
            CheckpointExporter.write(kept, config.model(), model.weights(), SafeDType.BF16);
            CheckpointExporter.copyTokenizer(config.tokenizerDir(), kept);
        }
        CheckpointExporter.write(out, config.model(), model.weights(), SafeDType.BF16);
        CheckpointExporter.copyTokenizer(config.tokenizerDir(), out);
        TrainState.save(out, step, nextRow, tokensSeen, elapsed, config, model, optimizer);
        try {
            TrainingCurve.draw(out.resolve(LOG_FILE), out.resolve(CURVE_FILE));
        } catch (IOException | RuntimeException | LinkageError e) {
            console.println("training curve not drawn: " + e);
        }
    }

    /** Host numbers of one step. */
    record StepStats(double loss, double aux, double gradNorm, long[][] slots) {
    }

    /** One optimizer step on {@code rows} [B][T]. */
    private StepStats step(TrainableMoe model, AdamW optimizer, int[][] rows, double lr) {
        return step(model, optimizer, rows, lr, config.auxLossCoef(), config.gradClip());
    }

    /** One optimizer step on {@code rows} [B][T] with the given loss weight and clipping limit. */
    static StepStats step(TrainableMoe model, AdamW optimizer, int[][] rows, double lr, double auxLossCoef, double gradClip) {
        Map<String, NDArray> params = model.parameters();
        try (NDManager sm = model.manager().newSubManager()) {
            params.values().forEach(p -> p.tempAttach(sm));
            zeroGradients(params);
            TrainableMoe.Output output;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                output = model.forward(sm, rows);
                NDArray coef = sm.full(new Shape(), (float) auxLossCoef, model.dataType()); // []
                gc.backward(output.crossEntropy().add(output.aux().mul(coef)));
            }
            double loss = output.crossEntropy().getFloat();
            double aux = output.aux().getFloat();
            NDArray squares = null;                                                      // []
            for (NDArray p : params.values()) {
                NDArray g = p.getGradient().toType(DataType.FLOAT64, false);
                NDArray s = g.mul(g).sum();
                squares = squares == null ? s : squares.add(s);
            }
            double norm = Math.sqrt(squares.getDouble());
            double scale = Math.min(1.0, gradClip / (norm + 1e-6));
            if (Double.isFinite(norm) && Double.isFinite(loss)) {
                optimizer.update(params, lr, scale, model.manager(), sm);
            }
            return new StepStats(loss, aux, norm, output.expertSlots());
        }
    }

    /** Sets every existing gradient to zero (the collector accumulates otherwise). */
    static void zeroGradients(Map<String, NDArray> params) {
        for (NDArray p : params.values()) {
            NDArray g;
            try {
                g = p.getGradient();
            } catch (IllegalStateException noGradientYet) {
                continue;
            }
            g.set(new NDIndex("..."), 0f);
        }
    }

    /** Mean next-token cross-entropy of {@code rows} without gradients. */
    static double crossEntropy(TrainableMoe model, int[][] rows) {
        try (NDManager sm = model.manager().newSubManager()) {
            model.parameters().values().forEach(p -> p.tempAttach(sm));
            return model.forward(sm, rows).crossEntropy().getFloat();
        }
    }

    /**
     * Held-out documents packed into at most {@code count} rows of {@code length}, taken round-robin over
     * the labels (each label's documents in their fixed order), so every label is represented.
     */
    static int[][] heldOutRows(TrainingData data, int length, int count) {
        java.util.Map<String, java.util.ArrayDeque<TrainingData.HeldOut>> byLabel = new java.util.LinkedHashMap<>();
        for (TrainingData.HeldOut doc : data.heldOut()) {
            byLabel.computeIfAbsent(doc.label(), k -> new java.util.ArrayDeque<>()).add(doc);
        }
        List<TrainingData.HeldOut> interleaved = new ArrayList<>();
        while (byLabel.values().stream().anyMatch(q -> !q.isEmpty())) {
            for (java.util.ArrayDeque<TrainingData.HeldOut> q : byLabel.values()) {
                if (!q.isEmpty()) {
                    interleaved.add(q.poll());
                }
            }
        }
        List<int[]> rows = new ArrayList<>();
        int[] row = new int[length];
        int fill = 0;
        for (TrainingData.HeldOut doc : interleaved) {
            for (int id : doc.ids()) {
                row[fill++] = id;
                if (fill == length) {
                    rows.add(row);
                    if (rows.size() == count) {
                        return rows.toArray(int[][]::new);
                    }
                    row = new int[length];
                    fill = 0;
                }
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("held-out data fills no row of " + length + " tokens; set eval_every to 0");
        }
        return rows.toArray(int[][]::new);
    }
}
