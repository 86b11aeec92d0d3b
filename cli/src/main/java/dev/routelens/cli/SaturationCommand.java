package dev.routelens.cli;

import dev.routelens.core.OutputLock;
import dev.routelens.core.UserError;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSet;
import dev.routelens.study.ModelSpec;
import dev.routelens.study.OutputPaths;
import dev.routelens.study.SaturationChecks;
import dev.routelens.study.SaturationCurve;
import dev.routelens.study.SaturationResult;
import dev.routelens.study.SaturationStudy;
import dev.routelens.study.Tokenized;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code routelens saturation}: how far a model's routing agrees with a reference's, per MoE layer. */
@Command(name = "saturation", mixinStandardHelpOptions = true,
        description = {"Router saturation: per MoE layer, how far --model's routing agrees with --reference's.",
            "Top-1: the fraction of tokens whose first choice matches. Top-k: the mean",
            "|TopK_A ∩ TopK_B| / k (OLMoE, arXiv 2409.02060). Chance levels 1/E and k/E stand beside them.",
            "Both models read the same token ids and must share their layout and tokenizer.",
            "--over RUN compares every kept checkpoint of a training run with its last."})
public final class SaturationCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    SampleOptions sampleOptions = new SampleOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--reference", paramLabel = "DIR", description = "Checkpoint to compare --model with, e.g. the final checkpoint of the run --model is an intermediate of.")
    Path reference;

    @Option(names = "--over", paramLabel = "RUN", description = "A training run's folder: each step-NNNNN/ checkpoint (train with \"keep_checkpoints\": true) against the last; instead of --model and --reference.")
    Path over;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue an interrupted run in DIR (same inputs and models): the reference's routing and, with --over, each finished checkpoint are not run again.")
    Path resume;

    @Option(names = "--keep-checkpoint", description = "Keep DIR/.checkpoint/ after a successful run (default: removed; --resume of a finished run then says so and does nothing).")
    boolean keepCheckpoint;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for --per-class sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if ((reference == null) == (over == null)) {
            throw new UserError("saturation needs exactly one of --reference DIR and --over RUN");
        }
        if (over != null && (modelOptions.model != null || modelOptions.randomInit != null)) {
            throw new UserError("--over compares the run's own checkpoints; leave out --model and --random-init");
        }
        sampleOptions.validate();
        out = OutputPaths.runFolder("saturation", out, resume);
        if (over != null) {
            List<SaturationChecks.StepCheckpoint> steps = SaturationChecks.steps(over); // before any work
            try (OutputLock lock = OutputPaths.holdFolder(resume != null ? "--resume" : "--out", out)) {
                if (resume == null) {
                    RunRecord.startFresh(out);
                }
                runOver(steps);
                RunRecord.finish(out, keepCheckpoint);
            }
            return 0;
        }
        ModelSpec.Checked ref = referenceSpec(reference).check();
        SaturationChecks.requireSameLayout(modelOptions.check(), modelOptions.checked().configFile(), ref.config(),
                ref.configFile()); // config.json only: fails now
        try (OutputLock lock = OutputPaths.holdFolder(resume != null ? "--resume" : "--out", out)) {
            if (resume == null) {
                RunRecord.startFresh(out);
            }
            SampleSet samples = sampleOptions.readFor(seed, SampleRequirements.ANY, out);
            Tokenized tokens = tokens(samples, modelOptions.tokenizer());
            RunRecord record = RunRecord.of(spec).withDocuments(tokens.docs()).with("model", modelOptions.identity())
                    .with("reference", ref.identity());
            record.threads(modelOptions.threadCount());
            Path checkpoint = record.begin(out, resume != null);
            modelOptions.useRecordedThreads(record.threads());
            if (checkpoint == null) {
                System.out.println(RunRecord.finishedMessage(out, "saturation"));
                return 0;
            }
            SaturationResult r = SaturationStudy.run(modelOptions.checked(), ref, samples, tokens, checkpoint)
                    .withInvocation(CommandLines.of(spec), record.inputs());
            r.save(out);
            RunRecord.finish(out, keepCheckpoint);
            System.out.printf(Locale.ROOT, "saturation: %d documents, %d tokens; mean over layers top-1 %.3f (chance %.3f),"
                            + " top-%d %.3f (chance %.3f) -> %s (saturation.csv, summary.json)%n", r.documents(),
                    r.table().tokens(), r.table().meanTop1(), r.table().chanceTop1(), r.table().k(), r.table().meanTopK(),
                    r.table().chanceTopK(), out.toAbsolutePath());
        }
        return 0;
    }

    private void runOver(List<SaturationChecks.StepCheckpoint> steps) throws Exception {
        ModelSpec template = referenceSpec(steps.get(steps.size() - 1).dir());
        SampleSet samples = sampleOptions.readFor(seed, SampleRequirements.ANY, out);
        Tokenized tokens;
        try (Tokenizer tok = template.check().tokenizer()) {
            tokens = tokens(samples, tok);
        }
        RunRecord record = RunRecord.of(spec).withDocuments(tokens.docs());
        for (SaturationChecks.StepCheckpoint s : steps) {
            record.with("step " + s.step(), referenceSpec(s.dir()).check().identity());
        }
        Path checkpoint = record.begin(out, resume != null);
        if (checkpoint == null) {
            System.out.println(RunRecord.finishedMessage(out, "saturation"));
            return;
        }
        SaturationCurve c = SaturationStudy.over(steps, template, samples, tokens, checkpoint)
                .withInvocation(CommandLines.of(spec), record.inputs());
        c.save(out);
        var first = c.tables().get(0);
        System.out.printf(Locale.ROOT, "saturation: %d checkpoints (steps %d..%d) against step %d, %d documents; mean top-%d"
                        + " %.3f at step %d (chance %.3f) -> %s (saturation_over_steps.csv, saturation_vs_step.png)%n",
                c.steps().length, c.steps()[0], c.steps()[c.steps().length - 1], c.steps()[c.steps().length - 1],
                c.documents(), first.k(), first.meanTopK(), c.steps()[0], first.chanceTopK(), out.toAbsolutePath());
    }

    /** Another checkpoint folder with this command's device, dtype, streaming and thread options. */
    private ModelSpec referenceSpec(Path dir) {
        ModelSpec m = modelOptions.spec();
        return new ModelSpec(dir, null, null, null, m.device(), m.dtype(), m.stream(), m.memoryBudget(), m.loadAhead(),
                m.threads());
    }

    /** The documents as the model's tokenizer encodes them; errors.csv lists the refusals. */
    private Tokenized tokens(SampleSet samples, Tokenizer tokenizer) {
        Tokenized tokens = Tokenized.of(samples, tokenizer);
        tokens.require(SampleRequirements.ANY, tokens.writeErrors(out));
        return tokens;
    }
}
