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
 * What a saturation study measured. {@link #save} writes the folder {@code ./routelens saturation --out DIR}
 * writes: saturation.csv (per MoE layer, with the chance baselines), summary.json and the per-layer plot
 * saturation_by_layer.png/.svg/.csv.
 *
 * @param table top-1 and top-k saturation per MoE layer
 * @param summary summary.json's fields
 * @param rejected the records the readers or the tokenizer refused
 * @param documents documents compared
 */
public record SaturationResult(SaturationTable table, Map<String, Object> summary, List<SampleError> rejected,
                               int documents, List<String> commandLine,
                              Map<String, String> inputs) implements StudyResult {


    /** {@link StudyResult#save(String)} into a folder the caller already holds. */
    @Override
    public SavedFiles save(Path out) throws IOException {
        SavedFiles saved = new SavedFiles(out);
        saved.add(ErrorsCsv.writeIfAny(out.resolve("errors.csv"), rejected));
        table.writeCsv(saved.add(out.resolve("saturation.csv")));
        SaturationPlots.byLayer(out, table, saved);
        writeRecords(out, summary, commandLine, inputs, saved);
        return saved;
    }

    /**
     * summary.json and run.json of a saturation folder (one comparison or a curve over steps): run.json is the
     * summary's fields under the command, its command line and inputs (a resume is checked against them).
     */
    static void writeRecords(Path out, Map<String, Object> summary, List<String> commandLine, Map<String, String> inputs,
                             SavedFiles saved) throws IOException {
        AtomicFiles.write(saved.add(out.resolve("summary.json")), w -> Json.MAPPER.writeValue(w, summary));
        Map<String, Object> run = new java.util.LinkedHashMap<>();
        run.put("command", "saturation");
        run.put("command_line", commandLine);
        run.put("inputs", inputs);
        run.putAll(summary);
        run.put("versions", Versions.all());
        AtomicFiles.write(saved.add(out.resolve("run.json")), w -> Json.MAPPER.writeValue(w, run));
    }

    /** The same result, its run.json naming the CLI's command line and inputs (a resume is checked against them). */
    public SaturationResult withInvocation(List<String> args, Map<String, String> inputs) {
        return new SaturationResult(table, summary, rejected, documents, List.copyOf(args), new java.util.LinkedHashMap<>(inputs));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SaturationResult[%d documents, %d tokens: mean top-1 %.3f (chance %.3f), "
                        + "mean top-%d %.3f (chance %.3f); save(dir) writes the saturation folder]", documents,
                table.tokens(), table.meanTop1(), table.chanceTop1(), table.k(), table.meanTopK(), table.chanceTopK());
    }
}
