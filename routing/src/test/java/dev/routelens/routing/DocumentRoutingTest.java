package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.InputKind;
import org.junit.jupiter.api.Test;

class DocumentRoutingTest {

    @Test
    void sizesComeFromTheLogits() {
        DocumentRouting document = RoutingFixtures.document("ok", "x", new int[] {1, 2, 3},
                new float[3][4], new float[3][4]);
        assertEquals(2, document.numLayers());
        assertEquals(3, document.numTokens());
        assertEquals(4, document.numExperts());
        assertTrue(document.toString().contains("L=2, T=3, E=4"), document.toString());
    }

    @Test
    void nonFiniteLogitIsReportedWithDocumentAndPosition() {
        float[][] bad = new float[2][3];
        bad[1][2] = Float.NaN;
        assertMessage("doc-nan", "layer 1 token 1 expert 2 is NaN",
                () -> RoutingFixtures.document("doc-nan", "x", new int[] {1, 2}, new float[2][3], bad));
        float[][] infinite = new float[2][3];
        infinite[0][0] = Float.POSITIVE_INFINITY;
        assertMessage("doc-inf", "Infinity",
                () -> RoutingFixtures.document("doc-inf", "x", new int[] {1, 2}, infinite));
    }

    @Test
    void inconsistentShapesAreReportedWithDocument() {
        assertMessage("doc-rows", "layer 1 have 2 token rows, expected 3",
                () -> RoutingFixtures.document("doc-rows", "x", new int[] {1, 2, 3}, new float[3][4], new float[2][4]));
        assertMessage("doc-experts", "layer 0 token 1 have 3 experts, expected 4",
                () -> RoutingFixtures.document("doc-experts", "x", new int[] {1, 2},
                        new float[][] {new float[4], new float[3]}));
        assertMessage("doc-empty", "no tokens",
                () -> RoutingFixtures.document("doc-empty", "x", new int[0], new float[0][4]));
        assertMessage("doc-layers", "no gate-logit layers",
                () -> RoutingFixtures.document("doc-layers", "x", new int[] {1}));
        assertMessage("doc-id", "negative id -4",
                () -> RoutingFixtures.document("doc-id", "x", new int[] {1, -4}, new float[2][4]));
        assertMessage("doc-kind", "kind is missing",
                () -> new DocumentRouting("doc-kind", "x", null, new int[] {1}, new float[][][] {{{0}}}));
        assertMessage("", "id must not be blank",
                () -> new DocumentRouting(" ", "x", InputKind.TEXT, new int[] {1}, new float[][][] {{{0}}}));
    }

    private static void assertMessage(String id, String detail, Runnable construct) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, construct::run);
        assertTrue(error.getMessage().contains("'" + id + "'") || id.isEmpty(), error.getMessage());
        assertTrue(error.getMessage().contains(detail), error.getMessage());
    }
}
