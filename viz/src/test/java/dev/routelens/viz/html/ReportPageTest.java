package dev.routelens.viz.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html in headless Chromium: records, embedded plots and the sweep's hover card. */
class ReportPageTest {
    static final Color PLOT = new Color(0x009E73);

    @Test
    void indexesTheFolderAndTheSweepHeatMapHovers(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("ablate-out"));
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(PLOT);
        g.fillRect(0, 0, 400, 300);
        g.dispose();
        ImageIO.write(img, "png", out.resolve("ablation_delta.png").toFile());
        Files.writeString(out.resolve("ablation_delta.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
        Files.writeString(out.resolve("ablation.csv"), "class,layer\n");
        Files.writeString(out.resolve("run.json"), "{\"samples\":\"</script><script>alert(1)</script>\",\"counts\":{\"physics\":4}}");
        List<String> classes = List.of("physics", "biology", "all");
        List<HeatGrid.Panel> panels = classes.stream().map(c -> new HeatGrid.Panel(c, "#0072b2",
                new double[][] {{0.5, -0.2, 0, 0.1}, {0.05, 0, -0.4, 0.3}},
                new long[][] {{10, 10, 10, 10}, {10, 10, 10, 10}})).toList();
        HeatGrid heat = new HeatGrid("NLL change", "layer", List.of("1", "3"), "expert", List.of("0", "1", "2", "3"), panels);
        Path html = ReportPage.write(out, "ablate", Map.of("documents", 12, "ablations", 8), heat);
        Chromium chromium = Chromium.require(dir);
        Path png = dir.resolve("shot.png");
        assertEquals(List.of(), chromium.screenshot(html, png, 1200, 900).consoleErrors());
        PageChecks.keep(png, "report-ablate.png");
        assertTrue(PageChecks.pixelsNear(png, PLOT.getRGB()) > 1000, "the plot is embedded");
        JsonNode r = PageChecks.selftest(chromium.dumpDom(html, "#selftest", 1200, 900));
        assertEquals(1, r.path("images").asInt());
        assertEquals(1, r.path("images_loaded").asInt(), "the PNG loads from disk");
        assertEquals("[\"run.json\"]", r.path("records").toString());
        assertEquals(2 * 4 * classes.size(), r.path("cells").asInt());
        assertEquals(1 + classes.size(), r.path("card_lines").asInt(), r.toString());
        assertTrue(r.path("card").asText().contains("layer 1, expert 0physics: +0.5000 (10 tokens)"), r.toString());
    }

    @Test
    void aFolderWithoutAHeatMapStillIndexes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("summary.json"), "{\"documents\":3}");
        Path html = ReportPage.write(dir, "stats", Map.of("documents", 3), null);
        JsonNode r = PageChecks.selftest(Chromium.require(dir).dumpDom(html, "#selftest", 1000, 700));
        assertEquals(0, r.path("cells").asInt());
        assertEquals("[\"summary.json\"]", r.path("records").toString());
    }
}
