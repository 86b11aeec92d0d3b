package dev.routelens.viz;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders one sample of every plot type for a visual check (not a unit test):
 * {@code java -Djava.awt.headless=true -cp ... dev.routelens.viz.VizGallery /tmp/viz-look}.
 */
public final class VizGallery {

    private VizGallery() {
    }

    public static void main(String[] args) throws Exception {
        PlotWriter writer = new PlotWriter(Path.of(args.length > 0 ? args[0] : "/tmp/viz-look"));
        Object[] three = SampleData.clusters(3, 300, 1L);
        writer.write("figure1-3d", Figure1Plot.of((double[][]) three[0], (String[]) three[1],
                "Expert choice E_T by class (1,800 documents)", "t-SNE ")
                .withCaption("synthetic clusters; seed 1; perplexity 30"));
        Object[] two = SampleData.clusters(2, 300, 2L);
        writer.write("figure1-2d", Figure1Plot.of((double[][]) two[0], (String[]) two[1],
                "Expert choice E_T by class (2-D PCA)", "PC ").withCaption("synthetic clusters; seed 2"));
        double[][] mathematics = SampleData.shares(26, 8, 3L);
        writer.write("expert-choice-mathematics", Heatmap.expertChoice("mathematics", mathematics).withRange(0, 1));
        writer.write("ablation", Heatmap.ablation("NLL increase when one expert is ablated", SampleData.deltas(26, 8, 4L)));
        double[][] co = new double[8][8];
        java.util.Random random = new java.util.Random(5);
        for (int a = 0; a < 8; a++) {
            for (int b = 0; b <= a; b++) {
                co[a][b] = co[b][a] = a == b ? 0 : random.nextInt(5000) / 100000.0;
            }
        }
        writer.write("coactivation-layer12", Heatmap.coActivation("Expert co-activation, layer 12", co));
        writer.write("expert-share-layer12", BarChart.expertShare(12, SampleData.classShares(8, 6L)));
        double[] steps = new double[200];
        double[] train = new double[200];
        double[] held = new double[200];
        for (int t = 0; t < 200; t++) {
            steps[t] = 10 * t;
            train[t] = 2.5 + 8 * Math.exp(-t / 30.0) + 0.05 * random.nextGaussian();
            held[t] = t % 10 == 0 ? 2.7 + 8 * Math.exp(-t / 30.0) : Double.NaN;
        }
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("training loss", train);
        curves.put("held-out loss", held);
        writer.write("training-loss", LineChart.of("Training loss", "step", "loss (nats/token)", steps, curves));
        java.util.List<double[][]> perClass = new java.util.ArrayList<>();
        for (int c = 0; c < 6; c++) {
            perClass.add(SampleData.shares(26, 8, 10L + c));
        }
        writer.write("expert-usage-panels", Heatmap.panels("Mean expert choice per class",
                ClassStyle.FIGURE1_CLASSES, perClass, "layer", "expert", false)
                .withScaleLabel("mean routing probability (0 to 1)"));
        java.util.List<double[][]> coPanels = new java.util.ArrayList<>();
        for (int c = 0; c < 6; c++) {
            double[][] m = SampleData.shares(8, 8, 40L + c);
            for (int a = 0; a < 8; a++) {
                m[a][a] = 1.0; // P(a chosen | a chosen)
            }
            coPanels.add(m);
        }
        writer.write("coactivation-panels", Heatmap.panels("P(to chosen | from chosen), layer 12",
                ClassStyle.FIGURE1_CLASSES, coPanels, "from expert", "to expert", false).withDiagonalMasked()
                .withScaleLabel("P(to expert chosen | from expert chosen)"));
        java.util.List<double[][]> olmoe = new java.util.ArrayList<>();
        for (int c = 0; c < 6; c++) {
            olmoe.add(SampleData.shares(16, 64, 30L + c));
        }
        Heatmap.write(writer.directory(), "expert-usage-panels-64", "Mean expert choice per class (64 experts)",
                ClassStyle.FIGURE1_CLASSES, olmoe, "layer", "expert", false);
        writer.write("expert-share-64", BarChart.expertShare(15, SampleData.classShares(64, 6L)));
        java.util.List<double[][]> ablations = new java.util.ArrayList<>();
        for (int c = 0; c < 6; c++) {
            ablations.add(SampleData.deltas(26, 8, 20L + c));
        }
        ablations.add(SampleData.deltas(26, 8, 27L));
        ablations.get(6)[0][3] = 1.82; // one layer-0 knock-out far beyond the rest
        java.util.List<String> ablationPanels = new java.util.ArrayList<>(ClassStyle.FIGURE1_CLASSES);
        ablationPanels.add("(all)");
        writer.write("ablation-panels", Heatmap.panels("NLL change when an expert is knocked out", ablationPanels,
                ablations, "layer", "expert", true).withRobustRange(0.99).withScaleLabel("NLL change (nats/token)"));
        double[][] shares = new double[6][];
        for (int c = 0; c < 6; c++) {
            shares[c] = SampleData.classShares(8, 6L).get(ClassStyle.FIGURE1_CLASSES.get(c));
        }
        BarChart.write(writer.directory(), "expert-share-reference", "Expert share of top-2 slots, layer 12",
                "expert", "share of slots", Heatmap.numbered("E", 8), ClassStyle.FIGURE1_CLASSES, shares, 1.0 / 8, "uniform share 1/E");
        // End to end: six 208-dimensional clusters through t-SNE (3-D) into Figure 1.
        Object[] high = SampleData.clusters(208, 200, 7L);
        dev.routelens.embed.Embedding tsne = dev.routelens.embed.Tsne.fit((double[][]) high[0],
                dev.routelens.embed.TsneConfig.defaults());
        writer.write("figure1-tsne", Figure1Plot.of(tsne.coords(), (String[]) high[1],
                "Figure 1 (synthetic): t-SNE of 1,200 documents", "t-SNE "));
        System.out.println("wrote samples to " + writer.directory());
    }
}
