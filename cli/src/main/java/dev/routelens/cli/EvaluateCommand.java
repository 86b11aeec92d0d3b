package dev.routelens.cli;

import dev.routelens.core.UserError;
import dev.routelens.study.OutputPaths;
import dev.routelens.core.OutputLock;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.TorchThreads;
import dev.routelens.model.checkpoint.Checkpoint;
import dev.routelens.model.checkpoint.CheckpointException;
import dev.routelens.train.Evaluate;
import dev.routelens.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code routelens evaluate}: held-out NLL of a trained checkpoint against its random init and a unigram model. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score a trained checkpoint on the held-out split of its training config.",
            "Mean next-token NLL (nats per token) of the checkpoint, of the seeded random",
            "init it started from (init_seed) and of an add-one unigram model fitted on",
            "the training documents, all on the same targets, overall and per label; and",
            "the checkpoint's expert load on the held-out data. CPU, float32."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint folder written by train (config.json, model.safetensors, tokenizer).")
    Path model;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The training config of that run: its corpus_dir gives the held-out documents, init_seed the random init, seq_length the default --window.")
    Path config;

    @Option(names = "--window", paramLabel = "N", description = "Held-out documents are cut into windows of at most N tokens, each scored on its own (default: the config's seq_length; at least 2, at most the model's context).")
    Integer window;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Also write the report as JSON here. Its folder is held for the run: another run writing into it at the same time is refused.")
    Path out;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws Exception {
        MoeConfig modelConfig = checkpointConfig();
        if (window != null && window < 2) {
            throw new UserError("--window must be at least 2 tokens (a target needs a token before it), got " + window);
        }
        if (window != null && window > modelConfig.maxPositions()) {
            throw new UserError("--window " + window + " is longer than the model's context of "
                    + modelConfig.maxPositions() + " positions (" + model.resolve("config.json") + ")");
        }
        if (out != null) {
            OutputPaths.requireFile("--out", out);
        }
        Integer threadCount = threads.resolve();
        TrainConfig trainConfig = trainConfig();
        TorchThreads.configureForTraining();
        TorchThreads.apply(threadCount);
        Evaluate.Report report;
        try (OutputLock lock = out == null ? null : OutputPaths.holdFileFolder("--out", out)) {
            report = Evaluate.run(model, trainConfig, window != null ? window : trainConfig.seqLength());
            if (out != null) {
                report.write(out);
            }
        }
        System.out.println(Evaluate.summary(report));
        if (out != null) {
            System.out.println("evaluate: report -> " + out);
        }
        return 0;
    }

    /** The checkpoint's config.json, read without a weight so a bad --model or --window is refused at once. */
    private MoeConfig checkpointConfig() {
        if (!Files.isDirectory(model)) {
            throw new UserError("--model " + model + ": " + (Files.exists(model) ? "a file, not a checkpoint folder"
                    : "no such folder"));
        }
        try {
            return Checkpoint.readConfig(model.resolve("config.json"));
        } catch (CheckpointException e) {
            throw new UserError("--model " + model + ": " + Main.oneLine(e), e);
        }
    }

    /** The training config, checked (it validates itself) and required to name the held-out documents. */
    private TrainConfig trainConfig() throws java.io.IOException {
        if (!Files.isRegularFile(config)) {
            throw new UserError("--config " + config + ": " + (Files.isDirectory(config) ? "a folder, not a config file"
                    : "no such file"));
        }
        TrainConfig read = TrainConfig.read(config);
        if (read.corpusDir() == null) {
            throw new UserError("--config " + config + ": corpus_dir is null, so nothing is held out to score"
                    + " (the held-out documents are the shared corpus's held-out split)");
        }
        return read;
    }
}
