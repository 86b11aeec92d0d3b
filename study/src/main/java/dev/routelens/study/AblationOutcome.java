package dev.routelens.study;

import dev.routelens.core.OutputLock;
import dev.routelens.routing.AblationResult;
import dev.routelens.routing.AblationSweep;
import dev.routelens.samples.ErrorsCsv;
import dev.routelens.samples.SampleError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What ablating measured. {@link #save} writes the folder {@code ./routelens ablate --out DIR} writes:
 * ablation.csv, routing_shift.csv, report.html and, for a sweep, the ablation_delta heatmaps.
 *
 * @param results one per ablation, in order
 * @param sweep the sweep they form, or null for ablations chosen one by one
 * @param rejected the records the readers or the tokenizer refused
 * @param documents documents measured
 */
public record AblationOutcome(List<AblationResult> results, AblationSweep sweep, List<SampleError> rejected,
                              int documents) {

    public AblationOutcome {
        results = List.copyOf(results);
        rejected = List.copyOf(rejected);
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

    /** Saves into {@code dir}, holding the folder while it writes (another run there is refused, naming its pid). */
    public Path save(String dir) throws IOException {
        Path out = Path.of(dir);
        try (OutputLock lock = OutputPaths.holdFolder("save", out)) {
            save(out);
        }
        return out;
    }

    /** {@link #save(String)} into a folder the caller already holds. */
    public void save(Path out) throws IOException {
        ErrorsCsv.writeIfAny(out.resolve("errors.csv"), rejected);
        if (sweep != null) {
            AblationPlots.write(out, sweep);
        }
        AblationSweep.writeResultsCsv(out.resolve("ablation.csv"), results);
        AblationSweep.writeShiftCsv(out.resolve("routing_shift.csv"), results);
        StudyPages.ablate(out, this); // report.html, which indexes the files above
    }

    @Override
    public String toString() {
        return "AblationOutcome[" + results.size() + " ablation(s) x " + documents + " documents"
                + (sweep != null ? ", a " + sweep.mode().id() + " sweep" : "") + "; save(dir) writes the ablate folder]"
                + (sweep == null && results.size() <= 4 ? System.lineSeparator() + classLines().stripTrailing() : "");
    }
}
