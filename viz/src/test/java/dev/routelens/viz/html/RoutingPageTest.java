package dev.routelens.viz.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** probe's routing page in headless Chromium: tokens, chips, the hover card, the layer selector, the heat map. */
class RoutingPageTest {
    static final int[] LAYERS = {1, 3, 5};
    static final int EXPERTS = 8;

    /** Token t at slot m chooses experts (t + m) % E then (t + 2m + 1) % E, the first with the larger weight. */
    static RoutingPage.Document document(String id, String kind, List<String> tokens) {
        int m = LAYERS.length, t = tokens.size();
        int[][][] topk = new int[m][t][];
        float[][][] weights = new float[m][t][];
        double[][] et = new double[m][EXPERTS];
        for (int l = 0; l < m; l++) {
            for (int p = 0; p < t; p++) {
                topk[l][p] = new int[] {(p + l) % EXPERTS, (p + 2 * l + 1) % EXPERTS};
                weights[l][p] = new float[] {0.7f, 0.3f};
            }
            for (int e = 0; e < EXPERTS; e++) {
                et[l][e] = (e + l + 1) / 100.0;
            }
        }
        return new RoutingPage.Document(id, "physics", kind, tokens, LAYERS, EXPERTS, topk, weights, et);
    }

    @Test
    void textTokensColourHoverAndFollowTheLayer(@TempDir Path dir) throws Exception {
        List<String> tokens = List.of("<s>", "\u2581The", "\u2581proton", "</script><script>alert(1)</script>", "\u2581is",
                "\u2581a", "\u2581bary", "on", ".");
        Path html = dir.resolve("probe.html");
        new RoutingPage("probe: one document", List.of(document(null, "text", tokens),
                document("second", "text", List.of("a")))).write(html);
        Chromium chromium = Chromium.require(dir);
        Path png = dir.resolve("shot.png");
        assertEquals(List.of(), chromium.screenshot(html, png, 1100, 700).consoleErrors());
        PageChecks.keep(png, "probe-text.png");
        assertTrue(PageChecks.distinctColours(png) > 20, "not blank");
        JsonNode r = PageChecks.selftest(chromium.dumpDom(html, "#selftest", 1100, 700));
        assertEquals(tokens.size(), r.path("tokens").asInt());
        assertEquals(0, r.path("chips").asInt(), "text is not shown as chips");
        assertEquals(1 + LAYERS.length, r.path("card_lines").asInt(), "a line per MoE layer: " + r);
        assertTrue(r.path("card").asText().contains("layer 5: E2 0.700 · E5 0.300"), r.toString());
        assertEquals(5, r.path("selected_layer").asInt());
        assertEquals((0 + 2) % EXPERTS, r.path("last_layer_first_expert").asInt(), "token 0 at slot 2");
        assertEquals(LAYERS.length * EXPERTS, r.path("heat_cells").asInt());
        assertEquals(1, r.path("second_document_tokens").asInt(), "the document selector switches");
    }

    @Test
    void proteinsShowAChipPerResidue(@TempDir Path dir) throws Exception {
        List<String> residues = List.of("M", "K", "T", "A", "Y", "I", "A", "K", "Q", "R");
        Path html = dir.resolve("protein.html");
        new RoutingPage("probe: a protein", List.of(document("P1", "protein", residues))).write(html);
        Chromium chromium = Chromium.require(dir);
        Path png = dir.resolve("shot.png");
        chromium.screenshot(html, png, 1000, 600);
        PageChecks.keep(png, "probe-protein.png");
        JsonNode r = PageChecks.selftest(chromium.dumpDom(html, "#selftest", 1000, 600));
        assertEquals(residues.size(), r.path("chips").asInt());
    }
}
