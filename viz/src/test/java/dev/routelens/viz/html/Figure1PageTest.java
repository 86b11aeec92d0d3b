package dev.routelens.viz.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.routelens.viz.ClassStyle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** figure1.html opened in headless Chromium: drawn in the PNG's colours, hover and legend work, texts stay text. */
class Figure1PageTest {
    static final String ATTACK = "</script><script>alert(1)</script><!-- & \u2028 é";

    /** {@code perClass} points in each Figure 1 class, clustered per class; document 0's text is an attack. */
    static Figure1Page page(int perClass, int dims, int textChars) {
        Random rnd = new Random(7);
        List<String> ids = new ArrayList<>(), labels = new ArrayList<>(), kinds = new ArrayList<>(), texts = new ArrayList<>();
        List<double[]> coords = new ArrayList<>();
        List<String> classes = ClassStyle.FIGURE1_CLASSES;
        for (int c = 0; c < classes.size(); c++) {
            for (int i = 0; i < perClass; i++) {
                ids.add(classes.get(c) + "-" + i);
                labels.add(classes.get(c));
                kinds.add(c == 4 ? "smiles" : c == 5 ? "protein" : "text");
                texts.add(ids.size() == 1 ? ATTACK : "x".repeat(textChars));
                double[] p = new double[dims];
                for (int k = 0; k < dims; k++) {
                    p[k] = 10 * Math.cos(c * 1.1 + k * 2.0) + rnd.nextGaussian();
                }
                coords.add(p);
            }
        }
        return new Figure1Page("Expert choice E_T by class", "t-SNE", ids, labels, kinds, texts,
                coords.toArray(double[][]::new), Map.of("documents", ids.size(), "quality", Map.of("silhouette_low", 0.5)));
    }

    @Test
    void scriptSafeJsonKeepsSampleTextsOutOfTheMarkup() throws Exception {
        String json = HtmlPage.scriptSafe(Map.of("text", ATTACK));
        for (String bad : List.of("<", ">", "&", "\u2028")) {
            assertFalse(json.contains(bad), bad + " left in " + json);
        }
        assertEquals(ATTACK, HtmlPage.JSON.readTree(json).get("text").asText(), "the text round-trips");
        assertEquals("&lt;/script&gt; &amp; &quot;", HtmlPage.escapeText("</script> & \""));
    }

    @Test
    void drawsEveryClassInItsColourAndHoverAndLegendWork(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("figure1.html");
        page(40, 3, 300).write(html);
        String text = Files.readString(html);
        assertEquals(2, text.split("<script", -1).length - 1, "the data block and the viewer, nothing injected");
        assertFalse(text.contains("http://") || text.contains("https://"), "no network reference");
        Chromium chromium = Chromium.require(dir);
        Path png = dir.resolve("figure1.png");
        Chromium.Run shot = chromium.screenshot(html, png, 1200, 800);
        assertEquals(List.of(), shot.consoleErrors());
        PageChecks.keep(png, "figure1-3d.png");
        for (ClassStyle s : ClassStyle.forLabels(ClassStyle.FIGURE1_CLASSES)) {
            assertTrue(PageChecks.pixelsNear(png, s.color().getRGB()) > 30, s.label() + " is not on screen");
        }
        JsonNode report = PageChecks.selftest(chromium.dumpDom(html, "#selftest", 1200, 800));
        String target = report.path("target_id").asText();
        String card = report.path("card").asText();
        assertTrue(card.startsWith(target), "the hover card names the point under the pointer: " + report);
        assertTrue(report.path("legend").path("hidden").asInt() < report.path("legend").path("before").asInt(), report.toString());
        assertEquals(report.path("legend").path("before").asInt(), report.path("legend").path("after").asInt());
    }

    @Test
    void theAttackTextShowsAsTextInTheCard(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("one.html");
        new Figure1Page("one", "PC", List.of("doc<1>"), List.of("physics"), List.of("text"), List.of(ATTACK),
                new double[][] {{0, 0}}, Map.of()).write(html);
        JsonNode report = PageChecks.selftest(Chromium.require(dir).dumpDom(html, "#selftest", 900, 600));
        assertEquals("doc<1>", report.path("target_id").asText());
        assertTrue(report.path("card").asText().contains(ATTACK), report.toString());
    }

    @Test
    void twoDimensionsRenderToo(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("figure1.html");
        page(10, 2, 20).write(html);
        Chromium chromium = Chromium.require(dir);
        Path png = dir.resolve("shot.png");
        chromium.screenshot(html, png, 1000, 700);
        PageChecks.keep(png, "figure1-2d.png");
        assertTrue(PageChecks.distinctColours(png) > 20, "not blank");
        assertEquals(2, PageChecks.selftest(chromium.dumpDom(html, "#selftest", 1000, 700)).path("dims").asInt());
    }

    /** 20,000 points with 200-character texts: the page stays small enough and a redraw stays fast. */
    @Test
    void twentyThousandPointsStayFluid(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("big.html");
        page(20_000 / 6 + 1, 3, 200).write(html);
        long bytes = Files.size(html);
        Path small = dir.resolve("600.html");
        page(100, 3, 200).write(small);
        assertTrue(Files.size(small) < 8_000_000, "600 documents: " + Files.size(small) + " bytes");
        JsonNode report = PageChecks.selftest(Chromium.require(dir).dumpDom(html, "#selftest", 1280, 800));
        double median = report.path("frame_ms_median").asDouble();
        System.out.printf("figure1.html with %d points (%d bytes): redraw median %.1f ms, max %.1f ms, hover %.1f ms;"
                + " 600 documents: %d bytes%n", report.path("points").asInt(), bytes, median,
                report.path("frame_ms_max").asDouble(), report.path("hover_ms").asDouble(), Files.size(small));
        assertTrue(median < 100, "a redraw of 20,000 points takes " + median + " ms");
    }
}
