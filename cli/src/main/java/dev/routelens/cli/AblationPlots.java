package dev.routelens.cli;

import dev.routelens.routing.AblationSweep;
import dev.routelens.viz.ClassStyle;
import dev.routelens.viz.Heatmap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** NLL delta per (layer, expert) for each class, on one diverging scale. */
final class AblationPlots {
    private AblationPlots() {
    }

    static void write(Path out, AblationSweep sweep) throws IOException {
        List<String> classes = new ArrayList<>(ClassStyle.order(sweep.classLabels()));
        List<double[][]> deltas = new ArrayList<>();
        for (String c : classes) {
            deltas.add(sweep.deltas(c));
        }
        Heatmap.write(out, "ablation_delta", "NLL change when an expert is knocked out (" + sweep.mode().id() + ")",
                classes, deltas, "layer", "expert", true);
    }
}
