package dev.routelens.cli;

import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSet;
import dev.routelens.study.LoadedModel;
import dev.routelens.study.StageTimer;
import dev.routelens.study.Tokenized;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What figure1, stats and ablate do in their held folder before the model loads, in one place: read the samples,
 * tokenise them (refusals to errors.csv), check what is left, and begin the run record, which on a resume
 * checks the inputs and restores the run's thread count.
 *
 * @param samples the documents as read
 * @param tokens their token ids, refusals left out
 * @param record the run's inputs, for run.json
 * @param checkpoint the run's checkpoint folder
 */
record PreparedRun(SampleSet samples, Tokenized tokens, RunRecord record, Path checkpoint) {

    /**
     * Prepares a {@code command} run in {@code out}; null (having said so on stdout) when {@code resume} finds this
     * very run finished, with nothing left to do.
     */
    static PreparedRun of(String command, RunRecord record, ModelOptions modelOptions, SampleOptions sampleOptions,
                          long seed, SampleRequirements needs, Path out, boolean resume, StageTimer timer)
            throws IOException {
        SampleSet samples;
        try (var s = timer.stage("samples")) {
            samples = sampleOptions.readFor(seed, needs, out);
        }
        Tokenized tokens;
        try (var s = timer.stage("tokenize")) {
            tokens = Tokenized.of(samples, modelOptions.tokenizer());
        }
        tokens.require(needs, tokens.writeErrors(out));
        record.withDocuments(tokens.docs()).with("model", modelOptions.identity()).threads(modelOptions.threadCount());
        Path checkpoint = record.begin(out, resume);
        modelOptions.useRecordedThreads(record.threads());
        if (checkpoint == null) {
            System.out.println(RunRecord.finishedMessage(out, command));
            return null;
        }
        return new PreparedRun(samples, tokens, record, checkpoint);
    }

    /** Loads the model, timed as the {@code load_model} stage. */
    static LoadedModel load(ModelOptions modelOptions, StageTimer timer) throws IOException {
        try (var s = timer.stage("load_model")) {
            return modelOptions.load();
        }
    }
}
