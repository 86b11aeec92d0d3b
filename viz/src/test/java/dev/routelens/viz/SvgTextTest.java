package dev.routelens.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every word and number of a figure reaches its SVG as a {@code <text>} element, never as glyph outlines (issue 18):
 * the title, axis titles, tick labels and legend entries that XChart lays out as well as those RouteLens draws.
 * A glyph outline is a {@code <path>} with curve commands (Q or C) or with more than one subpath (a word, or a letter
 * with a hole); no other shape these figures draw is either: markers are ellipses or one polygon, bars, grid lines
 * and arrows one polygon each.
 */
class SvgTextTest {

    /** The {@code <text>} contents of an SVG, their font families, and how many paths look like glyph outlines. */
    private record Svg(List<String> texts, Set<String> families, int glyphPaths) {

        static Svg read(Path file) throws Exception {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            Document doc = factory.newDocumentBuilder().parse(file.toFile());
            List<String> texts = new ArrayList<>();
            Set<String> families = new HashSet<>();
            NodeList nodes = doc.getElementsByTagName("text");
            for (int i = 0; i < nodes.getLength(); i++) {
                texts.add(nodes.item(i).getTextContent());
                for (String declaration : ((Element) nodes.item(i)).getAttribute("style").split(";")) {
                    if (declaration.startsWith("font-family:")) {
                        families.add(declaration.substring("font-family:".length()));
                    }
                }
            }
            int glyphs = 0;
            NodeList paths = doc.getElementsByTagName("path");
            for (int i = 0; i < paths.getLength(); i++) {
                String d = ((Element) paths.item(i)).getAttribute("d");
                boolean curved = d.contains("Q") || d.contains("C");
                boolean subpaths = d.indexOf('M') != d.lastIndexOf('M');
                glyphs += curved || subpaths ? 1 : 0;
            }
            return new Svg(texts, families, glyphs);
        }

        void assertHas(Iterable<String> expected) {
            Set<String> have = new HashSet<>(texts);
            List<String> missing = new ArrayList<>();
            expected.forEach(s -> {
                if (!have.contains(s)) {
                    missing.add(s);
                }
            });
            assertTrue(missing.isEmpty(), "not as <text>: " + missing + " (have " + texts + ")");
        }

        long numbers() {
            return texts.stream().filter(t -> t.matches("-?[0-9]+(\\.[0-9]+)?(E-?[0-9]+)?")).count();
        }

        void assertNoGlyphOutlines() {
            assertEquals(0, glyphPaths, "glyph outlines left as <path>");
            assertTrue(!families.isEmpty() && families.stream().allMatch(f -> f.endsWith(", sans-serif")),
                    "a generic fallback in " + families);
        }
    }

    private static Svg write(Path dir, String name, Plot plot) throws Exception {
        return Svg.read(new PlotWriter(dir).write(name, plot).svg());
    }

    @Test
    void barChartKeepsTitleAxesTicksAndLegendAsText(@TempDir Path dir) throws Exception {
        Map<String, double[]> shares = SampleData.classShares(8, 6L);
        Svg svg = write(dir, "bars", BarChart.expertShare(12, shares));
        List<String> expected = new ArrayList<>(List.of("Expert share per class, layer 12", "expert",
                "share of routing slots"));
        expected.addAll(Heatmap.numbered("E", 8));
        expected.addAll(shares.keySet());
        svg.assertHas(expected);
        assertTrue(svg.numbers() >= 3, "y tick labels as text: " + svg.texts());
        svg.assertNoGlyphOutlines();

        Svg reference = write(dir, "bars-ref", BarChart.expertShare(12, shares).withReference(0.125, "uniform share 1/E"));
        expected.add("uniform share 1/E");
        reference.assertHas(expected);
        reference.assertNoGlyphOutlines();
    }

    @Test
    void barChartWithManyCategoriesKeepsItsThinnedLabelsAsText(@TempDir Path dir) throws Exception {
        Svg svg = write(dir, "bars64", BarChart.expertShare(15, SampleData.classShares(64, 6L)));
        svg.assertHas(List.of("E0", "E8", "E56"));
        svg.assertNoGlyphOutlines();
    }

    @Test
    void lineChartKeepsTitleAxesTicksAndLegendAsText(@TempDir Path dir) throws Exception {
        double[] steps = new double[50];
        double[] train = new double[50];
        double[] held = new double[50];
        for (int t = 0; t < 50; t++) {
            steps[t] = 10 * t;
            train[t] = 2.5 + 8 * Math.exp(-t / 10.0);
            held[t] = t % 5 == 0 ? 2.7 + 8 * Math.exp(-t / 10.0) : Double.NaN;
        }
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("training loss", train);
        curves.put("held-out loss", held);
        LineChart chart = LineChart.of("Training loss", "step", "loss (nats/token)", steps, curves);
        Svg svg = write(dir, "loss", chart);
        svg.assertHas(List.of("Training loss", "step", "loss (nats/token)", "training loss", "held-out loss", "0"));
        assertTrue(svg.numbers() >= 6, "tick labels of both axes as text: " + svg.texts());
        svg.assertNoGlyphOutlines();

        Svg log = write(dir, "loss-log", chart.withLogY());
        log.assertHas(List.of("Training loss", "step", "loss (nats/token)", "training loss", "held-out loss"));
        log.assertNoGlyphOutlines();
    }

    @Test
    void heatMapPanelsKeepPanelTitlesAxesAndTicksAsText(@TempDir Path dir) throws Exception {
        List<double[][]> perClass = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            perClass.add(SampleData.shares(12, 8, 10L + c));
        }
        Svg svg = write(dir, "panels", Heatmap.panels("Mean expert choice per class", ClassStyle.FIGURE1_CLASSES,
                perClass, "layer", "expert", false).withScaleLabel("mean routing probability"));
        List<String> expected = new ArrayList<>(List.of("Mean expert choice per class", "layer", "expert",
                "mean routing probability"));
        expected.addAll(ClassStyle.FIGURE1_CLASSES);
        expected.addAll(Heatmap.numbered("", 12)); // rows 0..11; columns 0..7 among them
        svg.assertHas(expected);
        svg.assertNoGlyphOutlines();
    }

    @Test
    void standaloneHeatMapKeepsItsColourScaleAndCellValuesAsText(@TempDir Path dir) throws Exception {
        Svg choice = write(dir, "choice", Heatmap.expertChoice("mathematics", SampleData.shares(26, 8, 3L)).withRange(0, 1));
        List<String> expected = new ArrayList<>(List.of("Expert choice: mathematics", "layer", "expert"));
        expected.addAll(Heatmap.numbered("L", 26));
        expected.addAll(Heatmap.numbered("E", 8));
        choice.assertHas(expected);
        assertTrue(choice.numbers() >= 2, "colour scale labels as text: " + choice.texts());
        choice.assertNoGlyphOutlines();

        double[][] co = {{0, 0.25, 0.5}, {0.25, 0, 0.125}, {0.5, 0.125, 0}};
        Svg values = write(dir, "co", Heatmap.coActivation("Expert co-activation", co));
        values.assertHas(List.of("Expert co-activation", "0.25", "0.5", "0.125"));
        values.assertNoGlyphOutlines();
    }

    @Test
    void figure1KeepsItsTickLabelsAsText(@TempDir Path dir) throws Exception {
        Object[] two = SampleData.clusters(2, 60, 2L);
        Svg flat = write(dir, "f2", Figure1Plot.of((double[][]) two[0], (String[]) two[1],
                "Expert choice E_T by class (2-D PCA)", "PC "));
        flat.assertHas(List.of("PC 1", "PC 2"));
        assertTrue(flat.numbers() >= 6, "tick labels as text: " + flat.texts());
        flat.assertNoGlyphOutlines();

        Object[] three = SampleData.clusters(3, 60, 1L);
        Svg solid = write(dir, "f3", Figure1Plot.of((double[][]) three[0], (String[]) three[1],
                "Expert choice E_T by class", "PC "));
        solid.assertHas(List.of("PC 1", "PC 2", "PC 3"));
        assertTrue(solid.numbers() >= 18, "tick labels of the three projections as text: " + solid.texts());
        solid.assertNoGlyphOutlines();
    }
}
