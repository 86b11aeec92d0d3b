package dev.routelens.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PlotWriterTest {

    /** Checks the three files of one plot and returns the decoded PNG. */
    static BufferedImage assertWritten(WrittenPlot written, int minWidth, int minHeight) throws Exception {
        for (Path file : List.of(written.png(), written.svg(), written.csv())) {
            assertTrue(Files.size(file) > 0, file + " is empty");
        }
        BufferedImage image = ImageIO.read(written.png().toFile());
        assertTrue(image != null, written.png() + " does not decode");
        assertTrue(image.getWidth() >= minWidth && image.getHeight() >= minHeight,
                written.png() + " is " + image.getWidth() + " x " + image.getHeight());
        assertTrue(dpi(written.png()) >= 150.0, written.png() + " at " + dpi(written.png()) + " dpi");
        String svg = Files.readString(written.svg());
        assertTrue(svg.contains("<svg") && svg.contains("</svg>"), written.svg() + " is not an SVG document");
        try (Stream<Path> siblings = Files.list(written.png().getParent())) {
            assertFalse(siblings.anyMatch(p -> p.getFileName().toString().startsWith(".")), "temporary file left behind");
        }
        return image;
    }

    /** Dots per inch from the native pHYs chunk (pixels per metre). */
    static double dpi(Path png) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in);
                IIOMetadata metadata = reader.getImageMetadata(0);
                Element root = (Element) metadata.getAsTree("javax_imageio_png_1.0");
                NodeList physical = root.getElementsByTagName("pHYs");
                assertEquals(1, physical.getLength(), png + " has no pHYs chunk");
                Element node = (Element) physical.item(0);
                assertEquals("meter", node.getAttribute("unitSpecifier"));
                return Double.parseDouble(node.getAttribute("pixelsPerUnitXAxis")) * 0.0254;
            } finally {
                reader.dispose();
            }
        }
    }

    static List<String> csvLines(WrittenPlot written) throws Exception {
        return Files.readAllLines(written.csv());
    }

    @Test
    void figure1In3dIsOneImageWithFourPanelsAndAllClasses(@TempDir Path dir) throws Exception {
        Object[] sample = SampleData.clusters(3, 40, 1L);
        double[][] coords = (double[][]) sample[0];
        String[] labels = (String[]) sample[1];
        WrittenPlot written = Figure1Plot.write(dir, "figure1", "Figure 1", labels, coords, "t-SNE");
        // 1200 x 1200 points at 150 dpi.
        BufferedImage image = assertWritten(written, 2400, 2400);
        List<String> csv = csvLines(written);
        assertEquals("id,label,x,y,z,oblique_x,oblique_y", csv.get(0));
        assertEquals(coords.length + 1, csv.size());
        assertTrue(csv.get(1).startsWith("0,mathematics," + coords[0][0] + ","), csv.get(1));
        // Every class colour appears (blended with white by the marker alpha 210/255).
        for (ClassStyle style : ClassStyle.forLabels(ClassStyle.FIGURE1_CLASSES)) {
            assertTrue(countNear(image, blend(style.color(), 210)) > 50, style.label() + " not drawn");
        }
    }

    @Test
    void figure1In2dIsOneScatter(@TempDir Path dir) throws Exception {
        Object[] sample = SampleData.clusters(2, 20, 2L);
        double[][] coords = (double[][]) sample[0];
        WrittenPlot written = new PlotWriter(dir, 200).write("flat",
                Figure1Plot.of(coords, (String[]) sample[1], "flat", "PC "));
        assertWritten(written, 900 * 200 / 72, 720 * 200 / 72);
        assertEquals(200.0, dpi(written.png()), 0.5);
        assertEquals("id,label,x,y", csvLines(written).get(0));
        assertEquals(coords.length + 1, csvLines(written).size());
    }

    @Test
    void obliqueProjectionRotatesThenTilts() {
        double[] p = {1.0, 2.0, 3.0};
        double[] front = Figure1Plot.project(p, 0, 0);
        assertEquals(1.0, front[0], 1e-12);
        assertEquals(3.0, front[1], 1e-12);
        double[] side = Figure1Plot.project(p, 90, 0);
        assertEquals(-2.0, side[0], 1e-12);
        assertEquals(3.0, side[1], 1e-12);
        double[] top = Figure1Plot.project(p, 0, 90); // looking down: vertical = -depth = -y
        assertEquals(1.0, top[0], 1e-12);
        assertEquals(-2.0, top[1], 1e-12);
    }

    @Test
    void heatmapsWriteMatrixAndLongFormCsv(@TempDir Path dir) throws Exception {
        PlotWriter writer = new PlotWriter(dir);
        double[][] shares = SampleData.shares(26, 8, 3L);
        shares[4][2] = Double.NaN;
        WrittenPlot single = writer.write("choice", Heatmap.expertChoice("physics", shares));
        assertWritten(single, 1000, 1000);
        List<String> csv = csvLines(single);
        assertEquals("layer,E0,E1,E2,E3,E4,E5,E6,E7", csv.get(0));
        assertEquals(27, csv.size());
        assertTrue(csv.get(5).startsWith("L4,") && csv.get(5).split(",")[3].equals("NaN"), csv.get(5));

        WrittenPlot co = writer.write("co", Heatmap.coActivation("co-activation", SampleData.shares(8, 8, 4L)));
        assertWritten(co, 1000, 800);
        assertEquals(9, csvLines(co).size());

        List<double[][]> deltas = List.of(SampleData.deltas(26, 8, 5L), SampleData.deltas(26, 8, 6L));
        WrittenPlot panels = Heatmap.write(dir, "ablation", "ablation", List.of("physics", "biology"), deltas,
                "layer", "expert", true);
        assertWritten(panels, 1500, 1000);
        List<String> longForm = csvLines(panels);
        assertEquals("panel,layer,expert,value", longForm.get(0));
        assertEquals(1 + 2 * 26 * 8, longForm.size());
        assertEquals("biology,0,0," + deltas.get(1)[0][0], longForm.get(1 + 26 * 8));
    }

    @Test
    void panelsShareOneSymmetricScale() {
        double[][] a = {{0.1, -0.2}, {0.0, 0.3}};
        double[][] b = {{-0.9, 0.0}, {0.2, 0.1}};
        HeatmapPanels panels = Heatmap.panels("t", List.of("a", "b"), List.of(a, b), "layer", "expert", true);
        assertEquals(4 * 2 + 1, panels.data().rows().size() + 1);
        Heatmap single = Heatmap.diverging("t", "r", List.of("0", "1"), "c", List.of("0", "1"), a);
        assertEquals(-0.3, single.min(), 1e-12);
        assertEquals(0.3, single.max(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> Heatmap.panels("t", List.of("a", "b"), List.of(a, new double[3][2]), "r", "c", false));
    }

    @Test
    void barsAndLinesWriteTheirData(@TempDir Path dir) throws Exception {
        WrittenPlot bars = BarChart.write(dir, "share", "share", "expert", "share of slots", List.of("E0", "E1", "E2"),
                List.of("zeta", "biology", "physics"), new double[][] {{0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}, {0.3, 0.3, 0.4}},
                1.0 / 3);
        assertWritten(bars, 1800, 1200);
        List<String> csv = csvLines(bars);
        assertEquals("expert,physics,biology,zeta,reference", csv.get(0)); // Figure 1 classes first
        assertEquals(4, csv.size());
        assertEquals("E2,0.4,0.8,0.5," + (1.0 / 3), csv.get(3));

        Map<String, double[]> byClass = SampleData.classShares(8, 9L);
        WrittenPlot grouped = new PlotWriter(dir).write("share12", BarChart.expertShare(12, byClass));
        assertWritten(grouped, 1800, 1200);
        assertEquals(9, csvLines(grouped).size());

        double[] steps = {0, 100, 200, 300};
        WrittenPlot lines = LineChart.write(dir, "loss", "loss", "step", "loss", steps, List.of("train", "held-out"),
                List.of(new double[] {9, 5, 3, 2.5}, new double[] {9.5, Double.NaN, 3.2, Double.NaN}));
        assertWritten(lines, 1800, 1100);
        assertEquals(List.of("step,train,held-out", "0,9,9.5", "100,5,", "200,3,3.2", "300,2.5,"), csvLines(lines));
    }

    @Test
    void rejectsBadInputWithOneLine(@TempDir Path dir) {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> new PlotWriter(dir).write("../escape", Heatmap.coActivation("t", new double[][] {{1}})));
        assertTrue(name.getMessage().contains("../escape"), name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PlotWriter(dir, 96));
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> Figure1Plot.of(new double[3][3], new String[2], "t", "x"));
        assertTrue(labels.getMessage().contains("3 points but 2 labels"), labels.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Figure1Plot.of(new double[3][4], new String[3], "t", "x"));
        double[][] nan = {{0, 0}, {Double.NaN, 1}};
        assertThrows(IllegalArgumentException.class, () -> Figure1Plot.of(nan, new String[] {"a", "b"}, "t", "x"));
        assertThrows(IllegalArgumentException.class, () -> BarChart.grouped("t", "x", "y", List.of("a", "b"),
                Map.of("s", new double[] {1})));
        assertThrows(IllegalArgumentException.class, () -> LineChart.of("t", "x", "y", new double[] {1, 2},
                Map.of("s", new double[] {1})));
    }

    @Test
    void rewritingReplacesTheFiles(@TempDir Path dir) throws Exception {
        PlotWriter writer = new PlotWriter(dir);
        Map<String, double[]> one = new LinkedHashMap<>();
        one.put("a", new double[] {1, 2});
        writer.write("curve", LineChart.of("t", "x", "y", new double[] {0, 1}, one));
        one.put("b", new double[] {3, 4});
        WrittenPlot second = writer.write("curve", LineChart.of("t", "x", "y", new double[] {0, 1}, one));
        assertEquals("x,a,b", Files.readAllLines(second.csv()).get(0));
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        assertEquals(List.of("curve.csv", "curve.png", "curve.svg"), names);
    }

    private static Color blend(Color c, int alpha) {
        double a = alpha / 255.0;
        return new Color((int) Math.round(c.getRed() * a + 255 * (1 - a)),
                (int) Math.round(c.getGreen() * a + 255 * (1 - a)), (int) Math.round(c.getBlue() * a + 255 * (1 - a)));
    }

    private static int countNear(BufferedImage image, Color target) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.abs(r - target.getRed()) <= 10 && Math.abs(g - target.getGreen()) <= 10
                        && Math.abs(b - target.getBlue()) <= 10) {
                    count++;
                }
            }
        }
        return count;
    }
}
