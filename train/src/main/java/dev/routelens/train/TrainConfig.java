package dev.routelens.train;

import dev.routelens.core.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.nano.NanoModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * Hyper-parameters of one training run, read from a JSON file. Paths in the file are resolved against
 * the file's directory. Validates itself.
 *
 * <p>JSON keys: {@code model} ("nano" or an HF config object), {@code tokenizer_dir} (directory with
 * tokenizer.model; default: model/nano found by {@link NanoModel#locate()}), {@code seq_length}, {@code batch_rows}, {@code steps},
 * {@code peak_lr}, {@code warmup_steps}, {@code min_lr_ratio} (default 0.1), {@code seed},
 * {@code checkpoint_every}, {@code eval_every} (0: never), {@code eval_rows} (default 16),
 * {@code aux_loss_coef} (default 0.02), {@code aux_loss_mode} ({@code per_layer_mean}, the default, or
 * {@code concatenated}), {@code grad_clip} (default 1.0), {@code weight_decay}
 * (default 0.1), {@code init_seed} (default 20240927), {@code corpus_dir}, {@code samples_dir}
 * (either may be null to leave that source out, not both), {@code keep_checkpoints} (default false: true or false).
 *
 * @param model the architecture to train
 * @param tokenizerDir directory holding the tokenizer files (copied beside each checkpoint)
 * @param seqLength T, tokens per packed row
 * @param batchRows B, rows per step
 * @param steps optimizer steps in the whole run
 * @param peakLr learning rate after warm-up
 * @param warmupSteps linear warm-up length
 * @param minLrRatio the cosine decays to {@code peakLr * minLrRatio}
 * @param seed data-order seed
 * @param checkpointEvery write a checkpoint every this many steps (and at the end)
 * @param evalEvery held-out loss every this many steps; 0 turns it off
 * @param evalRows held-out rows used by that periodic loss
 * @param auxLossCoef weight of the load-balancing loss
 * @param auxLossMode how that loss combines layers (per-layer mean, or HF's pooled concatenation)
 * @param gradClip global gradient-norm limit
 * @param weightDecay AdamW decoupled weight decay (not on norms)
 * @param initSeed seed of the random initial weights
 * @param corpusDir the shared corpus (train split used), or null
 * @param samplesDir the project's sample files (all used), or null
 * @param keepCheckpoints also keep each checkpoint in its own {@code step-NNNNN/} folder (HF layout), so that
 *     {@code routelens saturation --over} can compare them; the run's top-level checkpoint is the latest either way
 */
public record TrainConfig(
        MoeConfig model,
        Path tokenizerDir,
        int seqLength,
        int batchRows,
        int steps,
        double peakLr,
        int warmupSteps,
        double minLrRatio,
        long seed,
        int checkpointEvery,
        int evalEvery,
        int evalRows,
        double auxLossCoef,
        TrainableMoe.AuxLoss auxLossMode,
        double gradClip,
        double weightDecay,
        long initSeed,
        Path corpusDir,
        Path samplesDir,
        boolean keepCheckpoints) {

    /** A key given twice or text after the object is refused: Jackson would keep the last value, unseen. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> KEYS = Set.of("model", "tokenizer_dir", "seq_length", "batch_rows", "steps",
            "peak_lr", "warmup_steps", "min_lr_ratio", "seed", "checkpoint_every", "eval_every", "eval_rows",
            "aux_loss_coef", "aux_loss_mode", "grad_clip", "weight_decay", "init_seed", "corpus_dir", "samples_dir",
            "keep_checkpoints");

    /** A config that keeps only the latest checkpoint (the form before {@code keep_checkpoints}). */
    public TrainConfig(MoeConfig model, Path tokenizerDir, int seqLength, int batchRows, int steps, double peakLr,
                       int warmupSteps, double minLrRatio, long seed, int checkpointEvery, int evalEvery, int evalRows,
                       double auxLossCoef, TrainableMoe.AuxLoss auxLossMode, double gradClip, double weightDecay,
                       long initSeed, Path corpusDir, Path samplesDir) {
        this(model, tokenizerDir, seqLength, batchRows, steps, peakLr, warmupSteps, minLrRatio, seed, checkpointEvery,
                evalEvery, evalRows, auxLossCoef, auxLossMode, gradClip, weightDecay, initSeed, corpusDir, samplesDir,
                false);
    }

    public TrainConfig {
        if (model == null) {
            throw new IllegalArgumentException("model is required");
        }
        TrainableMoe.requireTrainable(model);
        if (tokenizerDir == null) {
            throw new IllegalArgumentException("tokenizer_dir is required");
        }
        if (seqLength < 2 || seqLength > model.maxPositions()) {
            throw new IllegalArgumentException("seq_length must be in [2, " + model.maxPositions() + "], got " + seqLength);
        }
        positive("batch_rows", batchRows);
        positive("steps", steps);
        positive("checkpoint_every", checkpointEvery);
        positive("eval_rows", evalRows);
        if (!(peakLr > 0) || !Double.isFinite(peakLr)) {
            throw new IllegalArgumentException("peak_lr must be positive, got " + peakLr);
        }
        if (warmupSteps < 0 || warmupSteps > steps) {
            throw new IllegalArgumentException("warmup_steps must be in [0, steps], got " + warmupSteps);
        }
        if (!(minLrRatio >= 0 && minLrRatio <= 1)) {
            throw new IllegalArgumentException("min_lr_ratio must be in [0, 1], got " + minLrRatio);
        }
        if (evalEvery < 0) {
            throw new IllegalArgumentException("eval_every must be >= 0, got " + evalEvery);
        }
        if (auxLossMode == null) {
            throw new IllegalArgumentException("aux_loss_mode is required");
        }
        if (!(auxLossCoef >= 0) || !(gradClip > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("aux_loss_coef and weight_decay must be >= 0, grad_clip > 0");
        }
        if (corpusDir == null && samplesDir == null) {
            throw new IllegalArgumentException("corpus_dir and samples_dir are both null: nothing to train on");
        }
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    /** Reads a config file; errors name the file. */
    public static TrainConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        try {
            return fromJson(root, file.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Builds a config from JSON; relative paths resolve against {@code base}. */
    public static TrainConfig fromJson(JsonNode root, Path base) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("train config must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key " + key);
            }
        }
        JsonNode modelNode = root.get("model");
        MoeConfig model;
        if (modelNode == null || (modelNode.isTextual() && modelNode.asText().equals("nano"))) {
            model = NanoModel.config(4096);
        } else if (modelNode.isObject()) {
            model = MoeConfig.fromJson(modelNode);
        } else {
            throw new IllegalArgumentException("model must be \"nano\" or an HF config object, got " + modelNode);
        }
        return new TrainConfig(
                model,
                root.has("tokenizer_dir") ? path(root, "tokenizer_dir", base, null)
                        : NanoModel.locate().orElse(Path.of(NanoModel.RELATIVE_DIR)),
                integer(root, "seq_length", 256),
                integer(root, "batch_rows", 8),
                integer(root, "steps", 1000),
                number(root, "peak_lr", 3e-3),
                integer(root, "warmup_steps", 50),
                number(root, "min_lr_ratio", 0.1),
                longInteger(root, "seed", 1234L),
                integer(root, "checkpoint_every", 100),
                integer(root, "eval_every", 0),
                integer(root, "eval_rows", 16),
                number(root, "aux_loss_coef", 0.02),
                auxMode(root),
                number(root, "grad_clip", 1.0),
                number(root, "weight_decay", 0.1),
                longInteger(root, "init_seed", 20240927L),
                path(root, "corpus_dir", base, null),
                path(root, "samples_dir", base, null),
                bool(root, "keep_checkpoints", false));
    }

    /** The JSON form (paths written absolute). */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.set("model", model.toJson());
        o.put("tokenizer_dir", tokenizerDir.toAbsolutePath().toString());
        o.put("seq_length", seqLength);
        o.put("batch_rows", batchRows);
        o.put("steps", steps);
        o.put("peak_lr", peakLr);
        o.put("warmup_steps", warmupSteps);
        o.put("min_lr_ratio", minLrRatio);
        o.put("seed", seed);
        o.put("checkpoint_every", checkpointEvery);
        o.put("eval_every", evalEvery);
        o.put("eval_rows", evalRows);
        o.put("aux_loss_coef", auxLossCoef);
        o.put("aux_loss_mode", auxLossMode.name().toLowerCase(java.util.Locale.ROOT));
        o.put("grad_clip", gradClip);
        o.put("weight_decay", weightDecay);
        o.put("init_seed", initSeed);
        if (corpusDir == null) {
            o.putNull("corpus_dir");
        } else {
            o.put("corpus_dir", corpusDir.toAbsolutePath().toString());
        }
        if (samplesDir == null) {
            o.putNull("samples_dir");
        } else {
            o.put("samples_dir", samplesDir.toAbsolutePath().toString());
        }
        if (keepCheckpoints) { // written only when set, so runs from before the key still resume
            o.put("keep_checkpoints", true);
        }
        return o;
    }

    /** Writes {@link #toJson()} atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
    }

    /** Tokens per optimizer step, B * T. */
    public long tokensPerStep() {
        return (long) seqLength * batchRows;
    }

    /** Learning rate at (1-based) step {@code step}: linear warm-up, then cosine to {@code peakLr * minLrRatio}. */
    public double learningRate(long step) {
        if (warmupSteps > 0 && step <= warmupSteps) {
            return peakLr * step / warmupSteps;
        }
        long decaySteps = Math.max(1, steps - warmupSteps);
        double progress = Math.min(1.0, (step - warmupSteps) / (double) decaySteps);
        double floor = peakLr * minLrRatio;
        return floor + 0.5 * (peakLr - floor) * (1 + Math.cos(Math.PI * progress));
    }

    private static TrainableMoe.AuxLoss auxMode(JsonNode root) {
        JsonNode n = root.get("aux_loss_mode");
        if (n == null || n.isNull()) {
            return TrainableMoe.AuxLoss.PER_LAYER_MEAN;
        }
        return switch (n.asText()) {
            case "per_layer_mean" -> TrainableMoe.AuxLoss.PER_LAYER_MEAN;
            case "concatenated" -> TrainableMoe.AuxLoss.CONCATENATED;
            default -> throw new IllegalArgumentException("aux_loss_mode must be per_layer_mean or concatenated, got " + n);
        };
    }

    /** Folder of the checkpoint kept at {@code step}: {@code step-00025}. */
    public static String stepFolder(long step) {
        return String.format(java.util.Locale.ROOT, "step-%05d", step);
    }

    /** true or false only: Jackson's asBoolean would read "yes" and 1 as true, and "ture" as false. */
    private static boolean bool(JsonNode root, String key, boolean fallback) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, got " + n);
        }
        return n.booleanValue();
    }

    private static int integer(JsonNode root, String key, int fallback) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException(key + " must be an integer, got " + n);
        }
        return n.intValue();
    }

    /** A whole number that fits a long; Jackson's asLong would read "7", 7.9 and true as 7, 7 and 1. */
    private static long longInteger(JsonNode root, String key, long fallback) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new IllegalArgumentException(key + " must be an integer, got " + n);
        }
        return n.longValue();
    }

    private static double number(JsonNode root, String key, double fallback) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) { // 1e999 parses as infinity
            throw new IllegalArgumentException(key + " must be a finite number, got " + n);
        }
        return n.doubleValue();
    }

    private static Path path(JsonNode root, String key, Path base, String fallback) {
        JsonNode n = root.get(key);
        String value;
        if (n == null) {
            value = fallback;
        } else if (n.isNull()) {
            value = null;
        } else if (n.isTextual()) {
            value = n.asText();
        } else {
            throw new IllegalArgumentException(key + " must be a path string or null, got " + n);
        }
        if (value == null) {
            return null;
        }
        Path p = Path.of(value);
        return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
    }
}
