package dev.routelens.cli;

import dev.routelens.study.OutputPaths;
import dev.routelens.core.UserError;
import dev.routelens.core.OutputLock;
import dev.routelens.train.TrainConfig;
import dev.routelens.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code routelens train}: trains a small Mixtral-layout MoE from scratch (SciDFM's recipe). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a small Mixtral-layout MoE from scratch with SciDFM's recipe.",
            "AdamW (0.9, 0.95, weight decay 0.1), cosine to 10%% after warm-up, clipping at 1.0, and a per-layer",
            "load-balancing loss (coefficient from the config; 0.1 for SciDFM-nano). Writes an HF-layout",
            "checkpoint, train_log.csv and the training curve."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training config JSON (see model/nano/TRAINING.md).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Checkpoint and log directory; held for the run, so a second run on it is refused.")
    Path out;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Option(names = "--resume", description = "Continue from the last checkpoint in --out.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(config)) {
            throw new UserError("--config " + config + ": " + (Files.isDirectory(config) ? "a folder, not a config file"
                    : "no such file"));
        }
        TrainConfig trainConfig = TrainConfig.read(config); // validates itself: a bad value fails before any work
        OutputPaths.requireFolder("--out", out);
        if (resume && !Files.isDirectory(out)) {
            throw new UserError("--resume: " + out + " does not exist, so there is no run in it to continue");
        }
        Integer n = threads.resolve();
        dev.routelens.model.TorchThreads.configureForTraining(); // one inter-op thread
        dev.routelens.model.TorchThreads.apply(n);
        Trainer.Result r;
        try (OutputLock lock = OutputPaths.holdFolder("--out", out)) {
            r = Trainer.run(trainConfig, out, resume);
        }
        System.out.printf(Locale.ROOT, "train: %d steps, %d tokens in %.0f s; final loss %.4f, aux %.4f -> %s%n",
                r.steps(), r.tokensSeen(), r.elapsedSeconds(), r.finalLoss(), r.finalAuxLoss(), r.checkpoint());
        return 0;
    }
}
