package dev.routelens.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When kNN and t-SNE's sizes make Figure 1's measures mislead, and what metrics.json records. */
class Figure1CaveatsTest {

    @Test
    void aClassNoLargerThanKIsWarnedAboutAndALargerOneIsNot() {
        Figure1Caveats small = Figure1Caveats.of(Map.of("physics", 3, "mathematics", 12), 10, 30, 4.667);
        assertEquals("physics", small.smallestClass());
        assertEquals(2, small.warnings().size(), small.warnings().toString());
        assertTrue(small.warnings().get(0).startsWith("kNN (k=10) is at least the size of class physics (3 documents)"),
                small.warnings().get(0));
        assertTrue(small.warnings().get(1).contains("t-SNE perplexity 30 was clamped to 4.667"), small.warnings().get(1));

        Figure1Caveats even = Figure1Caveats.of(Map.of("physics", 10, "mathematics", 10), 10, 30, 6.333);
        assertTrue(even.warnings().get(0).startsWith("kNN (k=10)"), "k equal to the class size is warned about too");

        Figure1Caveats large = Figure1Caveats.of(Map.of("physics", 11, "mathematics", 40), 10, 30, Double.NaN);
        assertEquals(List.of(), large.warnings(), "11 documents a class, PCA: nothing to warn about");
        assertEquals(Optional.empty(), large.perplexity());
    }

    @Test
    void metricsRecordTheEffectiveSizesInSnakeCase() {
        Map<String, Object> json = Figure1Caveats.of(Map.of("physics", 3, "proteins", 3), 5, 30, 1.667).json();
        assertEquals(10, json.get("knn_k_requested"));
        assertEquals(5, json.get("knn_k_effective"));
        assertEquals(30.0, json.get("perplexity_requested"));
        assertEquals(1.667, json.get("perplexity_effective"));
        assertEquals(3, json.get("smallest_class_size"));
        assertEquals(2, ((List<?>) json.get("warnings")).size());
    }

    @Test
    void sizesThatCannotBeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Figure1Caveats.of(Map.of("physics", 3), 0, 30, 1));
        assertThrows(IllegalArgumentException.class, () -> Figure1Caveats.of(Map.of(), 5, 30, 1));
    }
}
