package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.viz.ClassStyle;
import dev.routelens.viz.html.Chromium;
import dev.routelens.viz.html.PageChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML views of real runs on the nano model, opened in headless Chromium: figure1.html and every folder's
 * report.html, and probe --html for text and for a protein. viz's page tests cover the viewers on synthetic data;
 * these check what the commands put in them.
 */
class HtmlViewsTest {

    @Test
    void figure1WritesItsPageAndReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("fig");
        CliRun run = Figure1EndToEndTest.figure1(out);
        assertEquals(0, run.exit(), run.err());
        Chromium chromium = Chromium.require(dir);
        Path png = dir.resolve("figure1.png");
        assertEquals(List.of(), chromium.screenshot(out.resolve("figure1.html"), png, 1200, 800).consoleErrors());
        PageChecks.keep(png, "figure1-nano.png");
        for (ClassStyle s : ClassStyle.forLabels(ClassStyle.FIGURE1_CLASSES)) {
            assertTrue(PageChecks.pixelsNear(png, s.color().getRGB()) > 20, s.label() + " is not on screen");
        }
        JsonNode page = PageChecks.selftest(chromium.dumpDom(out.resolve("figure1.html"), "#selftest", 1200, 800));
        assertEquals(36, page.path("points").asInt());
        assertEquals(3, page.path("dims").asInt());
        String card = page.path("card").asText();
        assertTrue(card.startsWith(page.path("target_id").asText()) && card.length() > 40, "id, label, kind, text: " + card);
        JsonNode report = PageChecks.selftest(chromium.dumpDom(out.resolve("report.html"), "#selftest", 1200, 800));
        assertTrue(report.path("images").asInt() >= 2, report.toString());
        assertEquals(report.path("images").asInt(), report.path("images_loaded").asInt(), "every plot loads");
        assertEquals("[\"figure1.html\"]", report.path("pages").toString());
        assertEquals("[\"metrics.json\",\"run.json\"]", report.path("records").toString());
    }

    @Test
    void statsAndAblateReports(@TempDir Path dir) throws Exception {
        Path stats = dir.resolve("stats");
        CliRun s = CliRun.of("stats", "--per-class", "2", "--out", stats.toString(), "--layer", "5");
        assertEquals(0, s.exit(), s.err());
        Path sweep = dir.resolve("sweep");
        CliRun a = CliRun.of("ablate", "--labels", "molecules,proteins", "--per-class", "1", "--sweep", "--mode", "top-r",
                "--r", "1", "--out", sweep.toString());
        assertEquals(0, a.exit(), a.err());
        Chromium chromium = Chromium.require(dir);
        JsonNode r = PageChecks.selftest(chromium.dumpDom(stats.resolve("report.html"), "#selftest", 1200, 800));
        assertEquals(r.path("images").asInt(), r.path("images_loaded").asInt());
        assertTrue(r.path("images").asInt() >= 2, r.toString());
        assertEquals("[\"summary.json\",\"run.json\"]", r.path("records").toString());
        JsonNode h = PageChecks.selftest(chromium.dumpDom(sweep.resolve("report.html"), "#selftest", 1200, 900));
        assertEquals(26 * 3, h.path("cells").asInt(), "26 MoE layers x one top-r ablation x (2 classes + pooled)");
        assertEquals(1 + 3, h.path("card_lines").asInt(), h.toString());
        assertTrue(h.path("card").asText().startsWith("layer 0, ablation top-r"), h.toString());
        assertTrue(h.path("card").asText().contains(" tokens)"), h.toString());
        Path png = dir.resolve("sweep.png");
        chromium.screenshot(sweep.resolve("report.html"), png, 1200, 900);
        PageChecks.keep(png, "report-sweep-nano.png");
    }

    @Test
    void probeHtmlShowsTheJsonsRouting(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("p.json");
        Path html = dir.resolve("p.html");
        CliRun run = CliRun.of("probe", "--text", "The proton is a baryon.</script>", "--out", json.toString(),
                "--html", html.toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode probe = new ObjectMapper().readTree(json.toFile());
        Chromium chromium = Chromium.require(dir);
        Path png = dir.resolve("probe.png");
        assertEquals(List.of(), chromium.screenshot(html, png, 1100, 700).consoleErrors());
        PageChecks.keep(png, "probe-nano.png");
        JsonNode r = PageChecks.selftest(chromium.dumpDom(html, "#selftest", 1100, 700));
        assertEquals(probe.path("tokens").size(), r.path("tokens").asInt());
        assertEquals(1 + 26, r.path("card_lines").asInt(), "a line per MoE layer");
        JsonNode last = probe.path("topk_experts").get(25).get(0);
        JsonNode w = probe.path("topk_weights").get(25).get(0);
        int first = w.get(0).asDouble() >= w.get(1).asDouble() ? last.get(0).asInt() : last.get(1).asInt();
        assertEquals(first, r.path("last_layer_first_expert").asInt(), "token 0's first choice at layer 25, as in the JSON");
        assertEquals(26 * 8, r.path("heat_cells").asInt());

        Path protein = dir.resolve("protein.html");
        CliRun p = CliRun.of("probe", "--kind", "protein", "--text", "MKTAYIAKQR", "--out", "-", "--html", protein.toString());
        assertEquals(0, p.exit(), p.err());
        JsonNode chips = PageChecks.selftest(chromium.dumpDom(protein, "#selftest", 1100, 700));
        assertEquals(chips.path("tokens").asInt(), chips.path("chips").asInt(), "a chip per residue");
        assertTrue(chips.path("chips").asInt() >= 10, chips.toString());
        assertTrue(Files.size(protein) < 1_000_000);
    }
}
