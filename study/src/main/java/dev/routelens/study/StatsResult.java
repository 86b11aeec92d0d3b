package dev.routelens.study;

import dev.routelens.core.AtomicFiles;
import dev.routelens.core.OutputLock;
import dev.routelens.routing.RoutingReport;
import dev.routelens.samples.ErrorsCsv;
import dev.routelens.samples.SampleError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the stats study measured. {@link #save} writes the folder {@code ./routelens stats --out DIR} writes:
 * routing_metrics.csv, coactivation.csv, routing_report.json, the plots of one layer, summary.json and report.html.
 *
 * @param report every metric per (class, MoE layer), with an all-classes row
 * @param summary summary.json's fields
 * @param chartLayer the MoE layer the plots show
 * @param rejected the records the readers or the tokenizer refused
 * @param documents documents measured
 */
public record StatsResult(RoutingReport report, Map<String, Object> summary, int chartLayer,
                          List<SampleError> rejected, int documents) {

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
        report.writeMetricsCsv(out.resolve("routing_metrics.csv"));
        report.writeCoActivationCsv(out.resolve("coactivation.csv"));
        report.writeJson(out.resolve("routing_report.json"));
        StatsPlots.write(out, report, chartLayer);
        AtomicFiles.write(out.resolve("summary.json"), w -> Json.MAPPER.writeValue(w, summary));
        StudyPages.stats(out, this); // report.html, which indexes the files above
    }

    @Override
    public String toString() {
        return "StatsResult[" + documents + " documents, " + (report.classLabels().size() - 1) + " classes, plots at layer "
                + chartLayer + "; save(dir) writes the stats folder]";
    }
}
