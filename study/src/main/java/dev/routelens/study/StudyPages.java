package dev.routelens.study;

import dev.routelens.routing.AblationResult;
import dev.routelens.routing.AblationSweep;
import dev.routelens.routing.MoeLayers;
import dev.routelens.viz.ClassStyle;
import dev.routelens.viz.html.Colors;
import dev.routelens.viz.html.Figure1Page;
import dev.routelens.viz.html.HeatGrid;
import dev.routelens.viz.html.ReportPage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML views of the study folders: figure1.html beside Figure 1's PNG, and report.html in every folder. Each
 * result's save calls one method here last, after the folder's other files, which report.html indexes.
 */
final class StudyPages {
    private StudyPages() {
    }

    /** figure1.html and report.html for a saved {@link Figure1Result}; {@code metrics} is metrics.json's map. */
    static void figure1(Path out, Figure1Result r, Map<String, Object> metrics, SavedFiles saved)
            throws IOException {
        var choices = r.choices();
        String axis = r.embedding().method().toLowerCase().contains("pca") ? "PC" : "t-SNE";
        List<String> texts = choices.ids().stream().map(id -> r.texts().getOrDefault(id, "")).toList();
        new Figure1Page("Expert choice E_T by class (" + choices.size() + " documents)", axis, choices.ids(),
                choices.labels(), choices.kinds().stream().map(k -> k.id()).toList(), texts, r.embedding().coords(),
                metrics).write(saved.add(out.resolve("figure1.html")));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("documents", choices.size());
        summary.put("counts", choices.classCounts());
        summary.put("rejected", r.rejected().size());
        summary.put("MoE layers x experts", choices.layers().length + " x " + choices.experts());
        ReportPage.write(out, "figure1", summary, null);
        saved.add(out.resolve("report.html"));
    }

    /** report.html for a saved {@link StatsResult}. */
    static void stats(Path out, StatsResult r, SavedFiles saved) throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("documents", r.documents());
        summary.put("rejected", r.rejected().size());
        summary.put("plots at MoE layer", r.chartLayer());
        ReportPage.write(out, "stats", summary, null);
        saved.add(out.resolve("report.html"));
    }

    /** report.html for a saved {@link AblationOutcome}, with the sweep's deltas as an interactive heat map. */
    static void ablate(Path out, AblationOutcome o, SavedFiles saved) throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("documents", o.documents());
        summary.put("rejected", o.rejected().size());
        summary.put("ablations", o.results().size());
        if (o.sweep() != null) {
            summary.put("sweep", o.sweep().mode().id());
        } else {
            for (AblationResult a : o.results()) {
                for (AblationResult.ClassNll c : a.classes()) {
                    summary.put(a.ablation().label() + " · " + c.label(), String.format("NLL %.4f -> %.4f (delta %+.4f, %d tokens)",
                            c.nllBase(), c.nllAblated(), c.delta(), c.tokens()));
                }
            }
        }
        ReportPage.write(out, "ablate", summary, o.sweep() == null ? null : heat(o.sweep()));
        saved.add(out.resolve("report.html"));
    }

    /** Per class, the NLL delta and its token count at every (MoE layer, expert) the sweep ablated. */
    static HeatGrid heat(AblationSweep sweep) {
        List<String> classes = ClassStyle.order(sweep.classLabels());
        List<ClassStyle> styles = ClassStyle.forLabels(classes);
        int[] layers = sweep.layers();
        boolean perExpert = sweep.mode().needsExpert();
        List<HeatGrid.Panel> panels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            double[][] values = new double[layers.length][sweep.experts()]; // [M][E]
            long[][] tokens = new long[layers.length][sweep.experts()]; // [M][E]
            for (AblationResult a : sweep.results()) {
                int slot = MoeLayers.slotOf(layers, a.ablation().layer());
                int e = perExpert ? a.ablation().expert() : 0;
                for (AblationResult.ClassNll n : a.classes()) {
                    if (n.label().equals(classes.get(c))) {
                        values[slot][e] = n.delta();
                        tokens[slot][e] = n.tokens();
                    }
                }
            }
            panels.add(new HeatGrid.Panel(classes.get(c), Colors.hex(styles.get(c).color()), values, tokens));
        }
        List<String> columns = new ArrayList<>();
        for (int e = 0; e < sweep.experts(); e++) {
            columns.add(perExpert ? Integer.toString(e) : sweep.mode().id());
        }
        return new HeatGrid("NLL change per ablation (" + sweep.mode().id() + "); hover a cell", "layer",
                java.util.Arrays.stream(layers).mapToObj(Integer::toString).toList(), perExpert ? "expert" : "ablation",
                columns, panels);
    }
}
