package dev.routelens.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What issue 18's "figures a reviewer accepts" asks, where it can be checked without eyes. */
class ReviewerFiguresTest {

    @Test
    void robustReachIsTheNearestRankQuantileOfMagnitudes() {
        double[][] m = new double[10][10]; // |values| 0.01 .. 1.00, signs alternating
        for (int i = 0; i < 100; i++) {
            m[i / 10][i % 10] = (i % 2 == 0 ? 1 : -1) * (i + 1) / 100.0;
        }
        assertEquals(0.99, Heatmap.robustReach(List.<double[][]>of(m), 0.99, false), 1e-12);
        assertEquals(1.00, Heatmap.robustReach(List.<double[][]>of(m), 1.0, false), 1e-12);
        assertEquals(0.50, Heatmap.robustReach(List.<double[][]>of(m), 0.5, false), 1e-12);
        // Without the diagonal (0.01, 0.12, ..., 1.00) 90 cells remain; the largest off it is 0.99.
        assertEquals(0.99, Heatmap.robustReach(List.<double[][]>of(m), 1.0, true), 1e-12);
        double[][] nan = {{Double.NaN}};
        assertEquals(0.0, Heatmap.robustReach(List.<double[][]>of(nan), 0.99, false));
        assertThrows(IllegalArgumentException.class, () -> Heatmap.robustReach(List.<double[][]>of(m), 0.0, false));
    }

    @Test
    void niceCeilingRoundsUpTo125Or5() {
        assertEquals(0.5, Heatmap.niceCeil(0.37), 1e-12);
        assertEquals(2.0, Heatmap.niceCeil(1.82), 1e-12);
        assertEquals(0.25, Heatmap.niceCeil(0.21), 1e-12);
        assertEquals(0.1, Heatmap.niceCeil(0.1), 1e-12);
        assertEquals(5e-4, Heatmap.niceCeil(3e-4), 1e-16);
        assertEquals(10.0, Heatmap.niceCeil(5.5), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Heatmap.niceCeil(0.0));
    }

    @Test
    void colourBarTicksAreRound() {
        assertEquals(List.of(0.0, 0.2, 0.4), HeatmapPanels.ticks(0.0, 0.595, 5));
        assertEquals(List.of(-0.5, -0.25, 0.0, 0.25, 0.5), HeatmapPanels.ticks(-0.5, 0.5, 4));
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), HeatmapPanels.ticks(0.0, 1.0, 5));
        assertEquals(List.of(0.04, 0.06, 0.08, 0.1, 0.12), HeatmapPanels.ticks(0.021, 0.121, 5));
    }

    /** Seven 26 x 8 panels of small deltas, "(all)" holding one layer-0 cell at +1.82 nats. */
    private static HeatmapPanels ablation() {
        List<double[][]> deltas = new ArrayList<>();
        for (int c = 0; c < 7; c++) {
            double[][] m = new double[26][8];
            for (int r = 0; r < 26; r++) {
                for (int e = 0; e < 8; e++) {
                    m[r][e] = 0.01 * (((r * 8 + e + c) % 21) - 10); // -0.10 .. +0.10
                }
            }
            deltas.add(m);
        }
        deltas.get(6)[0][3] = 1.82;
        List<String> names = new ArrayList<>(ClassStyle.FIGURE1_CLASSES);
        names.add("(all)");
        return Heatmap.panels("NLL change", names, deltas, "layer", "expert", true);
    }

    @Test
    void oneExtremeAblationCellNoLongerSetsTheScale() {
        HeatmapPanels raw = ablation();
        assertEquals(1.82, raw.max(), 1e-12);
        HeatmapPanels robust = raw.withRobustRange(0.99);
        assertEquals(0.1, robust.max(), 1e-12); // the 99th percentile of |delta| is 0.10, already round
        assertEquals(-0.1, robust.min(), 1e-12);
        assertArrayEquals(new int[] {0, 1}, robust.clippedCells(), "the +1.82 cell is the one clipped");
        assertEquals(raw.data(), robust.data(), "the CSV keeps the true values");
        assertThrows(IllegalArgumentException.class, () -> Heatmap.panels("s", List.of("a"),
                List.<double[][]>of(new double[][] {{1, 2}}), "r", "c", false).withRobustRange(0.99));
    }

    @Test
    void sevenPanelsLieInTwoRowsOfFourAndThree() {
        HeatmapPanels seven = ablation();
        int panel = 110 + 8 * 40;
        assertEquals(4 * panel + 130, seven.width());
        assertEquals(56 + 2 * (140 + 26 * 16), seven.height());
    }

    @Test
    void maskedDiagonalIsLeftOutOfTheColourRange() {
        double[][] m = {{1, 0.4, 0.1}, {0.2, 1, 0.3}, {0.05, 0.25, 1}};
        HeatmapPanels plain = Heatmap.panels("co", List.of("a", "b"), List.<double[][]>of(m, m), "from expert", "to expert", false);
        assertEquals(1.0, plain.max(), 1e-12);
        HeatmapPanels masked = plain.withDiagonalMasked().withScaleLabel("P(to | from)");
        assertEquals(0.4, masked.max(), 1e-12);
        assertEquals(0.05, masked.min(), 1e-12);
        assertArrayEquals(new int[] {0, 0}, masked.clippedCells(), "masked cells are not clipped ones");
        assertEquals("P(to | from)", masked.scaleLabel());
        assertEquals(plain.data(), masked.data(), "the CSV keeps the diagonal");
        assertThrows(IllegalArgumentException.class, () -> Heatmap.sequential("t", "r", List.of("a"), "c",
                List.of("x", "y"), new double[][] {{1, 2}}).withDiagonalMasked());
    }

    @Test
    void figure1SvgKeepsItsTextAsTextWithASubscriptAndCaption(@TempDir Path dir) throws Exception {
        Object[] sample = SampleData.clusters(3, 20, 1L);
        WrittenPlot written = new PlotWriter(dir).write("figure1", Figure1Plot.of((double[][]) sample[0],
                (String[]) sample[1], "Expert choice E_T by class (120 documents)", "t-SNE ")
                .withCaption("model tiny-moe; seed 42; perplexity 30"));
        String svg = Files.readString(written.svg());
        assertFalse(svg.contains("E_T"), "no literal underscore");
        Matcher base = Pattern.compile("font-size:24px[^>]*>Expert choice E</text>").matcher(svg);
        assertTrue(base.find(), "title text before the subscript");
        Matcher sub = Pattern.compile("font-size:([0-9.]+)px[^>]*>T</text>").matcher(svg);
        assertTrue(sub.find(), "the subscript T is its own text element");
        assertTrue(Double.parseDouble(sub.group(1)) < 24, "subscript smaller than the title");
        assertTrue(svg.contains(">model tiny-moe; seed 42; perplexity 30</text>"), "caption as text");
        for (String text : List.of("t-SNE 1", "t-SNE 2", "t-SNE 3")) {
            assertTrue(svg.contains(">" + text + "</text>"), text + " as text");
        }
        for (String label : List.of("mathematics", "proteins")) { // legend entries carry each class's count
            long count = java.util.Arrays.stream((String[]) sample[1]).filter(label::equals).count();
            assertTrue(count > 0 && svg.contains(">" + label + " (" + count + ")</text>"), label + " (" + count + ") as text: " + svg.substring(Math.max(0, svg.indexOf(label) - 10), svg.indexOf(label) + 100));
        }
        assertFalse(svg.contains("screen x"), "no screen axes on the oblique view");
        // The caption adds one line; without it the figure keeps its size.
        Figure1Plot plain = Figure1Plot.of((double[][]) sample[0], (String[]) sample[1], "t", "t-SNE ");
        assertEquals(1200, plain.height());
        assertEquals(1230, plain.withCaption("c").height());
        assertEquals("c", plain.withCaption(" c ").caption());
    }

    @Test
    void colourBarLabelAndBaselineLegendAreText(@TempDir Path dir) throws Exception {
        String svg = Files.readString(new PlotWriter(dir).write("ablation",
                ablation().withRobustRange(0.99).withScaleLabel("NLL change (nats/token)")).svg());
        assertTrue(svg.contains(">NLL change (nats/token)</text>"), "colour bar label with its unit");
        assertTrue(svg.contains(">0.05</text>") && svg.contains(">-0.1</text>"), "round tick values");
        BarChart bars = BarChart.expertShare(12, SampleData.classShares(8, 6L)).withReference(0.125, "uniform share 1/E");
        assertEquals("uniform share 1/E", bars.referenceLabel());
        String barSvg = Files.readString(new PlotWriter(dir).write("bars", bars).svg());
        assertTrue(barSvg.contains(">uniform share 1/E</text>"), "the baseline is in the legend");
        assertTrue(barSvg.contains(">mathematics</text>"), "class entries too");
        assertEquals(null, BarChart.expertShare(12, SampleData.classShares(8, 6L)).referenceLabel());
    }
}
