package dev.routelens.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.NodeList;

class PlotsTest {

    static void assertPlot(Path dir, String name, int minWidth, int minHeight) throws Exception {
        BufferedImage img = ImageIO.read(dir.resolve(name + ".png").toFile());
        assertTrue(img.getWidth() >= minWidth && img.getHeight() >= minHeight, name + ": " + img.getWidth() + "x" + img.getHeight());
        String svg = Files.readString(dir.resolve(name + ".svg"));
        assertTrue(svg.contains("<svg") && svg.length() > 1000, name + ".svg");
        assertTrue(Files.size(dir.resolve(name + ".csv")) > 0);
        try (ImageInputStream in = ImageIO.createImageInputStream(dir.resolve(name + ".png").toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            IIOMetadata meta = reader.getImageMetadata(0);
            NodeList sizes = ((org.w3c.dom.Element) meta.getAsTree("javax_imageio_1.0")).getElementsByTagName("HorizontalPixelSize");
            double mmPerPixel = Double.parseDouble(sizes.item(0).getAttributes().getNamedItem("value").getNodeValue());
            assertTrue(25.4 / mmPerPixel >= 150, name + " is below 150 dpi");
        }
    }

    @Test
    void figure1In3dAnd2d(@TempDir Path dir) throws Exception {
        Random r = new Random(1);
        String[] labels = new String[120];
        double[][] c = new double[120][3];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = ClassStyle.FIGURE1.get(i % 6);
            for (int k = 0; k < 3; k++) {
                c[i][k] = r.nextGaussian() + 5 * (i % 6 == k ? 1 : 0);
            }
        }
        Figure1Plot.write(dir, "fig", "test", labels, c, "t-SNE");
        assertPlot(dir, "fig", 2000, 1600);
        List<String> csv = Files.readAllLines(dir.resolve("fig.csv"));
        assertEquals("label,tsne1,tsne2,tsne3", csv.get(0));
        assertEquals(121, csv.size());
        double[][] flat = new double[120][];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = new double[] {c[i][0], c[i][1]};
        }
        Figure1Plot.write(dir, "fig2", "test", labels, flat, "PC");
        assertPlot(dir, "fig2", 1000, 800);
        assertThrows(IllegalArgumentException.class, () -> Figure1Plot.write(dir, "x", "t", new String[1], new double[][] {{1}}, "a"));
    }

    @Test
    void heatmapsBarsAndLines(@TempDir Path dir) throws Exception {
        double[][] a = new double[26][8];
        double[][] b = new double[26][8];
        for (int l = 0; l < 26; l++) {
            a[l][l % 8] = 1;
            b[l][(l + 3) % 8] = -0.5;
        }
        Heatmap.write(dir, "heat", "t", List.of("mathematics", "physics"), List.of(a, b), "layer", "expert", true);
        assertPlot(dir, "heat", 1500, 900);
        assertEquals(1 + 2 * 26 * 8, Files.readAllLines(dir.resolve("heat.csv")).size());
        BarChart.write(dir, "bars", "t", "expert", "share", List.of("E0", "E1", "E2"), List.of("physics", "biology"),
                new double[][] {{0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}}, 1 / 3.0);
        assertPlot(dir, "bars", 1200, 600);
        assertEquals("series,E0,E1,E2", Files.readAllLines(dir.resolve("bars.csv")).get(0));
        LineChart.write(dir, "loss", "t", "step", "loss", new double[] {0, 1, 2}, List.of("loss"), List.of(new double[] {3, 2, 1}));
        assertPlot(dir, "loss", 1200, 600);
    }

    @Test
    void classStylesAreFixedAndDistinct() {
        assertEquals(6, ClassStyle.FIGURE1.stream().map(l -> ClassStyle.of(l, 0).color()).distinct().count());
        assertEquals(ClassStyle.of("physics", 0), ClassStyle.of("physics", 5));
        assertEquals(List.of("physics", "proteins", "zeta"), ClassStyle.order(List.of("zeta", "proteins", "physics", "zeta")));
    }
}
