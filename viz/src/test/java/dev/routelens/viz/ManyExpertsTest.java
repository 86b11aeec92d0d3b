package dev.routelens.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heat maps and bars stay legible with OLMoE's 64 and Qwen3-MoE's 128 experts: figures a few thousand points
 * wide at most (not 6,000-18,000 as when every expert got a full-width cell or group), tick labels thinned to
 * every 2nd, 4th, 8th... so they never overlap, and the 8-expert figures exactly as before.
 */
class ManyExpertsTest {

    @Test
    void tickLabelsThinToPowersOfTwoThatFit() {
        List<String> labels = Heatmap.numbered("", 64);
        assertEquals(labels, Heatmap.thinned(labels, 40, 30), "wide cells: every label");
        List<String> every4 = Heatmap.thinned(labels, 10, 30);
        assertEquals(64, every4.size(), "one category per cell");
        for (int i = 0; i < 64; i++) {
            assertEquals(i % 4 == 0 ? Integer.toString(i) : " ", every4.get(i), "cell " + i);
        }
        List<String> every8 = Heatmap.thinned(Heatmap.numbered("", 128), 6, 30);
        assertEquals("8", every8.get(8));
        assertEquals(" ", every8.get(4));
    }

    @Test
    void eightExpertFiguresKeepTheirSize() {
        double[][] m = SampleData.shares(26, 8, 1L);
        Heatmap alone = Heatmap.expertChoice("mathematics", m);
        assertEquals(160 + 8 * 80 + 190, alone.width());
        assertEquals(170 + 26 * 27, alone.height());
        List<double[][]> six = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            six.add(m);
        }
        HeatmapPanels panels = Heatmap.panels("t", ClassStyle.FIGURE1_CLASSES, six, "layer", "expert", false);
        assertEquals(3 * (110 + 8 * 40) + 130, panels.width());
        BarChart bars = BarChart.expertShare(12, SampleData.classShares(8, 6L));
        assertEquals(260 + 8 * (40 + 16 * 6), bars.width());
    }

    @Test
    void manyExpertFiguresStayAFewThousandPointsWide(@TempDir Path dir) throws Exception {
        for (int experts : new int[] {64, 128}) {
            List<double[][]> six = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                six.add(SampleData.shares(16, experts, 3L + c));
            }
            List<String> layers = Heatmap.numbered("", 16);
            HeatmapPanels usage = Heatmap.panels("usage", ClassStyle.FIGURE1_CLASSES, six, "layer", layers, "expert", false);
            assertTrue(usage.width() <= 3 * (110 + 768) + 130, experts + " experts: " + usage.width() + " points wide");
            double[][] co = new double[experts][experts];
            HeatmapPanels coactivation = Heatmap.panels("co", ClassStyle.FIGURE1_CLASSES, List.of(co, co, co, co, co, co),
                    "expert i", "expert j", false);
            assertTrue(coactivation.height() <= 56 + 2 * (140 + 768), experts + " experts: " + coactivation.height() + " high");
            assertTrue(coactivation.width() <= 3 * (110 + 768) + 130, experts + " experts: " + coactivation.width() + " wide");
            BarChart bars = BarChart.expertShare(3, SampleData.classShares(experts, 6L));
            assertTrue(bars.width() <= 1900, experts + " experts: bars " + bars.width() + " points wide");
            if (experts != 128) {
                continue;
            }
            WrittenPlot written = new PlotWriter(dir).write("usage" + experts, usage);
            List<String> csv = Files.readAllLines(written.csv());
            assertEquals(1 + 6 * 16 * experts, csv.size(), "the CSV keeps every cell with its full labels");
            assertTrue(csv.get(2).startsWith("mathematics,0,1,"), csv.get(2));
            WrittenPlot barsWritten = new PlotWriter(dir).write("bars" + experts, bars);
            assertTrue(Files.readAllLines(barsWritten.csv()).get(2).startsWith("E1,"), "every category in the CSV");
        }
    }
}
