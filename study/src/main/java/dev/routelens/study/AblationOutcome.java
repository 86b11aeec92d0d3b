package dev.routelens.study;

import dev.routelens.routing.AblationResult;
import dev.routelens.routing.AblationSweep;
import dev.routelens.samples.ErrorsCsv;
import dev.routelens.samples.SampleError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What ablating measured. {@link #save} writes the folder {@code ./routelens ablate --out DIR} writes:
 * ablation.csv, routing_shift.csv, run.json, report.html and, for a sweep, the ablation_delta heatmaps.
 *
 * @param results one per ablation, in order
 * @param sweep the sweep they form, or null for ablations chosen one by one
 * @param rejected the records the readers or the tokenizer refused
 * @param documents documents measured
 * @param run run.json's fields
 * @param timer the run's stage timings, which saving adds to
 */
public record AblationOutcome(List<AblationResult> results, AblationSweep sweep, List<SampleError> rejected,
                              int documents, RunJson run, StageTimer timer) implements StudyResult {

    public AblationOutcome {
        results = List.copyOf(results);
        rejected = List.copyOf(rejected);
        java.util.Objects.requireNonNull(run, "run");
        java.util.Objects.requireNonNull(timer, "timer");
    }

    /** The same outcome, its run.json naming the CLI's command line and inputs ({@link RunJson#withInvocation}). */
    public AblationOutcome withInvocation(List<String> args, java.util.Map<String, String> inputs) {
        return new AblationOutcome(results, sweep, rejected, documents, run.withInvocation(args, inputs), timer);
    }

    /** The only result; refused when there are several. */
    public AblationResult result() {
        if (results.size() != 1) {
            throw new IllegalStateException(results.size() + " ablations: use results()");
        }
        return results.get(0);
    }

    /** The per-class NLL lines the CLI prints for a single ablation. */
    public String classLines() {
        StringBuilder s = new StringBuilder();
        for (AblationResult r : results) {
            if (results.size() > 1) {
                s.append(r.ablation().label()).append(System.lineSeparator());
            }
            for (AblationResult.ClassNll c : r.classes()) {
                s.append(String.format("  %-12s NLL %.4f -> %.4f (delta %+.4f, %d tokens)%n", c.label(), c.nllBase(),
                        c.nllAblated(), c.delta(), c.tokens()));
            }
        }
        return s.toString();
    }


    /** {@link StudyResult#save(String)} into a folder the caller already holds. */
    @Override
    public SavedFiles save(Path out) throws IOException {
        SavedFiles saved = new SavedFiles(out);
        saved.add(ErrorsCsv.writeIfAny(out.resolve("errors.csv"), rejected));
        if (sweep != null) {
            try (var s = timer.stage("plots")) {
                AblationPlots.write(out, sweep, saved);
            }
        }
        AblationSweep.writeResultsCsv(saved.add(out.resolve("ablation.csv")), results);
        AblationSweep.writeShiftCsv(saved.add(out.resolve("routing_shift.csv")), results);
        run.write(saved.add(out.resolve("run.json")));
        StudyPages.ablate(out, this, saved); // report.html, which indexes the files above
        return saved;
    }

    @Override
    public String toString() {
        return "AblationOutcome[" + results.size() + " ablation(s) x " + documents + " documents"
                + (sweep != null ? ", a " + sweep.mode().id() + " sweep" : "") + "; save(dir) writes the ablate folder]"
                + (sweep == null && results.size() <= 4 ? System.lineSeparator() + classLines().stripTrailing() : "");
    }
}
