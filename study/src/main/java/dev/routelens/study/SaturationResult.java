package dev.routelens.study;

import dev.routelens.core.AtomicFiles;
import dev.routelens.core.OutputLock;
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
                               int documents) {

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
        table.writeCsv(out.resolve("saturation.csv"));
        SaturationPlots.byLayer(out, table);
        AtomicFiles.write(out.resolve("summary.json"), w -> Json.MAPPER.writeValue(w, summary));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SaturationResult[%d documents, %d tokens: mean top-1 %.3f (chance %.3f), "
                        + "mean top-%d %.3f (chance %.3f); save(dir) writes the saturation folder]", documents,
                table.tokens(), table.meanTop1(), table.chanceTop1(), table.k(), table.meanTopK(), table.chanceTopK());
    }
}
