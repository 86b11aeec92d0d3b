package dev.routelens.study;

import dev.routelens.embed.Embedding;
import dev.routelens.routing.ExpertChoice;
import dev.routelens.routing.ExpertChoiceTable;
import dev.routelens.viz.ClassStyle;
import dev.routelens.viz.Figure1Plot;
import dev.routelens.viz.Heatmap;
import dev.routelens.viz.PlotWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * figure1.png/svg (the embedding) and expert_usage.png/svg (mean E_T per class, MoE layers x experts, rows
 * named by real layer index).
 */
public final class Figure1Plots {
    private Figure1Plots() {
    }

    public static void write(Path out, ExpertChoiceTable choices, Embedding embedding, SavedFiles saved) throws IOException {
        write(out, choices, embedding, "", saved);
    }

    /** As above, with {@code caption} (e.g. model, seed and perplexity) in a small line under figure1's legend. */
    public static void write(Path out, ExpertChoiceTable choices, Embedding embedding, String caption, SavedFiles saved)
            throws IOException {
        String axis = embedding.method().toLowerCase().contains("pca") ? "PC" : "t-SNE";
        saved.add(Figure1Plot.write(out, "figure1", "Expert choice E_T by class (" + choices.size() + " documents)",
                choices.ids().toArray(String[]::new), choices.labels().toArray(String[]::new), embedding.coords(), axis,
                caption));
        Map<String, double[]> means = choices.classMeans();
        List<String> order = ClassStyle.order(new ArrayList<>(means.keySet()));
        List<double[][]> matrices = new ArrayList<>();
        for (String label : order) {
            matrices.add(ExpertChoice.toMatrix(means.get(label), choices.experts()));
        }
        List<String> layers = java.util.Arrays.stream(choices.layers()).mapToObj(Integer::toString).toList();
        saved.add(new PlotWriter(out).write("expert_usage", Heatmap.panels("Mean expert choice per class", order, matrices,
                "layer", layers, "expert", false).withScaleLabel("mean routing probability (0 to 1)")));
    }
}
