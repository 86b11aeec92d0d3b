package dev.routelens.study;

import dev.routelens.routing.AblationMode;
import dev.routelens.routing.AblationSweep;
import dev.routelens.viz.ClassStyle;
import dev.routelens.viz.Heatmap;
import dev.routelens.viz.PlotWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** NLL delta per (MoE layer, expert) for each class, on one diverging scale; rows named by real layer index. */
public final class AblationPlots {
    private AblationPlots() {
    }

    public static void write(Path out, AblationSweep sweep, SavedFiles saved) throws IOException {
        List<String> classes = new ArrayList<>(ClassStyle.order(sweep.classLabels()));
        List<double[][]> deltas = new ArrayList<>();
        for (String c : classes) {
            deltas.add(sweep.deltas(c));
        }
        String what = sweep.mode() == AblationMode.ZERO_SHARED ? "the shared expert is zeroed"
                : "an expert is knocked out";
        List<String> layers = java.util.Arrays.stream(sweep.layers()).mapToObj(Integer::toString).toList();
        // One extreme cell (a layer-0 knock-out) would whiten the rest: the scale ends at the 99th percentile of |delta|.
        saved.add(new PlotWriter(out).write("ablation_delta", Heatmap.panels("NLL change when " + what + " ("
                + sweep.mode().id() + ")", classes, deltas, "layer", layers, "expert", true).withRobustRange(0.99)
                .withScaleLabel("NLL change (nats/token)")));
    }
}
