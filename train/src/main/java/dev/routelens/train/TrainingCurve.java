package dev.routelens.train;

import dev.routelens.viz.LineChart;
import dev.routelens.viz.PlotWriter;
import dev.routelens.viz.WrittenPlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws train_log.csv's training loss and held-out loss (where logged) against the step with the viz
 * module's {@link LineChart}: {@code NAME.png}, {@code NAME.svg} and {@code NAME.csv}, written atomically.
 */
public final class TrainingCurve {
    private TrainingCurve() {
    }

    /**
     * Reads {@code logCsv} and writes the chart beside {@code png} (whose file name, without .png, names
     * the three files). Returns null when the log has no rows.
     */
    public static WrittenPlot draw(Path logCsv, Path png) throws IOException {
        List<List<String>> rows = TrainLog.read(logCsv);
        if (rows.isEmpty()) {
            return null;
        }
        double[] steps = new double[rows.size()];      // [S]
        double[] train = new double[rows.size()];      // [S]
        double[] heldout = new double[rows.size()];    // [S], NaN where not evaluated
        boolean anyHeldout = false;
        for (int i = 0; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            steps[i] = Double.parseDouble(r.get(0));
            train[i] = Double.parseDouble(r.get(2));
            heldout[i] = r.get(7).isEmpty() ? Double.NaN : Double.parseDouble(r.get(7));
            anyHeldout |= !r.get(7).isEmpty();
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("training loss (cross-entropy)", train);
        if (anyHeldout) {
            series.put("held-out loss", heldout);
        }
        String file = png.getFileName().toString();
        String name = file.endsWith(".png") ? file.substring(0, file.length() - 4) : file;
        Path dir = png.toAbsolutePath().getParent();
        return new PlotWriter(dir).write(name, LineChart.of("Training curve", "step", "loss (nats/token)", steps, series));
    }
}
