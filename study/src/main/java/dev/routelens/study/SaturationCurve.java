package dev.routelens.study;

import dev.routelens.core.AtomicFiles;
import dev.routelens.routing.SaturationTable;
import dev.routelens.samples.ErrorsCsv;
import dev.routelens.samples.SampleError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Router saturation of every kept checkpoint of a training run against its last. {@link #save} writes the folder
 * {@code ./routelens saturation --over RUN --out DIR} writes: saturation_over_steps.csv (step, layer, top1, top_k,
 * chance baselines), summary.json, saturation_vs_step (mean over MoE layers against step) and
 * saturation_layer_by_step (top-k per layer and step).
 *
 * @param steps the training step of each checkpoint, ascending // [S]
 * @param tables saturation per MoE layer at each step // [S]
 * @param summary summary.json's fields
 * @param rejected the records the readers or the tokenizer refused
 * @param documents documents compared
 */
public record SaturationCurve(long[] steps, List<SaturationTable> tables, Map<String, Object> summary,
                              List<SampleError> rejected, int documents, List<String> commandLine,
                              Map<String, String> inputs) implements StudyResult {

    public SaturationCurve {
        if (steps == null || tables == null || steps.length == 0 || steps.length != tables.size()) {
            throw new IllegalArgumentException("saturation curve: needs one table per step");
        }
    }

    /** {@link StudyResult#save(String)} into a folder the caller already holds. */
    @Override
    public SavedFiles save(Path out) throws IOException {
        SavedFiles saved = new SavedFiles(out);
        saved.add(ErrorsCsv.writeIfAny(out.resolve("errors.csv"), rejected));
        AtomicFiles.write(saved.add(out.resolve("saturation_over_steps.csv")), w -> {
            w.write("step,layer,top1,top_k,chance_top1,chance_top_k,tokens\n");
            for (int s = 0; s < steps.length; s++) {
                SaturationTable t = tables.get(s);
                for (int m = 0; m < t.layers().length; m++) {
                    w.write(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%d%n", steps[s], t.layers()[m],
                            t.top1()[m], t.topK()[m], t.chanceTop1(), t.chanceTopK(), t.tokens()));
                }
            }
        });
        SaturationPlots.overSteps(out, steps, tables, saved);
        SaturationResult.writeRecords(out, summary, commandLine, inputs, saved);
        return saved;
    }

    /** The same result, its run.json naming the CLI's command line and inputs (a resume is checked against them). */
    public SaturationCurve withInvocation(List<String> args, Map<String, String> inputs) {
        return new SaturationCurve(steps, tables, summary, rejected, documents, List.copyOf(args), new java.util.LinkedHashMap<>(inputs));
    }

    @Override
    public String toString() {
        SaturationTable first = tables.get(0);
        return String.format(Locale.ROOT, "SaturationCurve[%d checkpoints, steps %d..%d: mean top-%d %.3f -> %.3f "
                        + "(chance %.3f); save(dir) writes the saturation folder]", steps.length, steps[0],
                steps[steps.length - 1], first.k(), first.meanTopK(), tables.get(tables.size() - 1).meanTopK(),
                first.chanceTopK());
    }
}
