package dev.routelens.study;

import dev.routelens.core.AtomicFiles;
import dev.routelens.routing.RoutingReport;
import dev.routelens.routing.SaliencyAgreement;
import dev.routelens.samples.ErrorsCsv;
import dev.routelens.samples.SampleError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the stats study measured. {@link #save} writes the folder {@code ./routelens stats --out DIR} writes:
 * routing_metrics.csv, coactivation.csv, class_expert_information.csv, domain_specialisation.csv,
 * layer_transitions.csv, transition_information.csv, token_specialisation.csv, expert_saliency.csv,
 * saliency_vs_sweep.csv (when a sweep was given), routing_report.json, the plots, summary.json (the headline
 * numbers), run.json (provenance, as every command writes it) and report.html.
 *
 * @param report every metric per (class, MoE layer), with an all-classes row
 * @param saliencyAgreement Spearman's rho of saliency against a sweep's deltas, per mode and class; empty without a sweep
 * @param summary summary.json's fields
 * @param chartLayer the MoE layer the plots show
 * @param rejected the records the readers or the tokenizer refused
 * @param documents documents measured
 * @param run run.json's fields
 * @param timer the run's stage timings, which saving adds to
 */
public record StatsResult(RoutingReport report, List<SaliencyAgreement> saliencyAgreement, Map<String, Object> summary, int chartLayer,
                          List<SampleError> rejected, int documents, RunJson run, StageTimer timer) implements StudyResult {

    public StatsResult {
        rejected = List.copyOf(rejected);
        saliencyAgreement = List.copyOf(saliencyAgreement);
        java.util.Objects.requireNonNull(run, "run");
        java.util.Objects.requireNonNull(timer, "timer");
    }

    /** The same result, its run.json naming the CLI's command line and inputs ({@link RunJson#withInvocation}). */
    public StatsResult withInvocation(List<String> args, java.util.Map<String, String> inputs) {
        return new StatsResult(report, saliencyAgreement, summary, chartLayer, rejected, documents, run.withInvocation(args, inputs), timer);
    }


    /** {@link StudyResult#save(String)} into a folder the caller already holds. */
    @Override
    public SavedFiles save(Path out) throws IOException {
        SavedFiles saved = new SavedFiles(out);
        saved.add(ErrorsCsv.writeIfAny(out.resolve("errors.csv"), rejected));
        report.writeMetricsCsv(saved.add(out.resolve("routing_metrics.csv")));
        report.writeCoActivationCsv(saved.add(out.resolve("coactivation.csv")));
        report.writeMutualInformationCsv(saved.add(out.resolve("class_expert_information.csv")));
        report.writeDomainSpecialisationCsv(saved.add(out.resolve("domain_specialisation.csv")));
        report.writeTransitionsCsv(saved.add(out.resolve("layer_transitions.csv")));
        report.writeTransitionInformationCsv(saved.add(out.resolve("transition_information.csv")));
        report.writeTokenSpecialisationCsv(saved.add(out.resolve("token_specialisation.csv")));
        report.writeExpertSaliencyCsv(saved.add(out.resolve("expert_saliency.csv")));
        if (!saliencyAgreement.isEmpty()) {
            SaliencyAgreement.writeCsv(saved.add(out.resolve("saliency_vs_sweep.csv")), saliencyAgreement);
        }
        report.writeJson(saved.add(out.resolve("routing_report.json")));
        try (var s = timer.stage("plots")) {
            StatsPlots.write(out, report, chartLayer, saved);
        }
        AtomicFiles.write(saved.add(out.resolve("summary.json")), w -> Json.MAPPER.writeValue(w, summary));
        run.write(saved.add(out.resolve("run.json")));
        StudyPages.stats(out, this, saved); // report.html, which indexes the files above
        return saved;
    }

    @Override
    public String toString() {
        return "StatsResult[" + documents + " documents, " + (report.classLabels().size() - 1) + " classes, plots at layer "
                + chartLayer + "; save(dir) writes the stats folder]";
    }
}
