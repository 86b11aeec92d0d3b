package dev.routelens.cli;

import dev.routelens.core.OutputLock;
import dev.routelens.core.UserError;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.study.Figure1Result;
import dev.routelens.study.Figure1Settings;
import dev.routelens.study.Figure1Study;
import dev.routelens.study.LoadedModel;
import dev.routelens.study.OutputPaths;
import dev.routelens.study.StageTimer;
import java.nio.file.Path;

/**
 * The CLI's side of Figure 1: checks, the output folder, the samples, the resume record, then
 * {@link Figure1Study} and its {@link Figure1Result#save}, the same call the JShell facade makes. The routing pass
 * checkpoints each batch under {@code .checkpoint/} so {@code --resume} loses no finished work, and
 * {@link RunRecord} keeps a resume to the same run.
 */
final class Figure1Job {
    private final ModelOptions modelOptions;
    private final SampleOptions sampleOptions;
    private final RunRecord record;
    private final java.util.List<String> commandLine;
    private final Path out;
    private final boolean resume;
    private final boolean keepCheckpoint;
    private final Figure1Settings settings;

    /** Checks every t-SNE and batching option here, so that none fails after the documents are routed. */
    Figure1Job(ModelOptions modelOptions, SampleOptions sampleOptions, RunRecord record, java.util.List<String> commandLine,
               Path out, boolean keepCheckpoint, boolean resume,
               long seed, int dims, double perplexity, int iterations, String method, int batchTokens, int batchDocs) {
        try {
            this.settings = new Figure1Settings(seed, dims, perplexity, iterations, method, batchTokens, batchDocs);
        } catch (IllegalArgumentException e) {
            throw new UserError("--" + e.getMessage());
        }
        this.modelOptions = modelOptions;
        this.sampleOptions = sampleOptions;
        this.record = record;
        this.commandLine = commandLine;
        this.out = out;
        this.resume = resume;
        this.keepCheckpoint = keepCheckpoint;
    }

    /**
     * Everything that can fail cheaply fails before the model loads: the options, config.json, the output
     * folder (held for the whole run, so a second run on it is refused), the sample set and what the tokenizer
     * leaves of it.
     */
    void run() throws Exception {
        StageTimer timer = new StageTimer();
        sampleOptions.validate();
        modelOptions.check();
        if (resume) {
            OutputPaths.runFolder("figure1", null, out);
        }
        try (OutputLock lock = OutputPaths.holdFolder(resume ? "--resume" : "--out", out)) {
            if (!resume) {
                RunRecord.startFresh(out);
            }
            run(timer);
            RunRecord.finish(out, keepCheckpoint);
        }
    }

    private void run(StageTimer timer) throws Exception {
        PreparedRun run = PreparedRun.of("figure1", record, modelOptions, sampleOptions, settings.seed(),
                SampleRequirements.FIGURE1, out, resume, timer);
        if (run == null) {
            return;
        }
        LoadedModel loaded = PreparedRun.load(modelOptions, timer);
        try (loaded) {
            Figure1Result result = Figure1Study.run(loaded, run.samples(), run.tokens(), settings,
                    run.checkpoint().resolve("routing.jsonl"), timer).withInvocation(commandLine, run.record().inputs());
            System.out.print(result.summary(result.save(out)));
        }
    }
}
