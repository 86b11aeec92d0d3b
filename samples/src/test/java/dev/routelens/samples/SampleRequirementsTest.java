package dev.routelens.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue "Reliability, round two" 5: what Figure 1 needs, checked before any model is loaded. */
class SampleRequirementsTest {
    private static SampleSet set(List<SampleError> errors, String... labels) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            samples.add(SampleSetTest.sample("s" + i, labels[i]));
        }
        return new SampleSet(samples, errors, "docs.jsonl");
    }

    @Test
    void figure1NeedsTwoClassesFourDocumentsAndAClassOfTwo() {
        SampleRequirements figure1 = SampleRequirements.FIGURE1;
        SampleSet good = set(List.of(), "physics", "physics", "biology", "proteins");
        assertEquals(List.of(), figure1.problems(good));
        assertSame(good, SampleSelection.require(good, figure1));

        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> SampleSelection.require(set(List.of(), "physics", "physics", "physics", "physics"), figure1));
        assertEquals("docs.jsonl: the sample set has 1 class (physics); Figure 1 needs at least 2", one.getMessage());

        assertEquals(List.of("the sample set has 3 documents; Figure 1 needs at least 4"),
                figure1.problems(set(List.of(), "physics", "physics", "biology")));
        assertEquals(List.of("every class has a single document (4 documents in 4 classes); Figure 1's silhouette needs a"
                + " class with at least 2"), figure1.problems(set(List.of(), "physics", "biology", "molecules", "proteins")));
    }

    @Test
    void anEmptySetSaysWhyWithTheFirstRejection() {
        SampleSet empty = set(List.of(new SampleError("docs.jsonl", 3, "a", "empty text"),
                new SampleError("docs.jsonl", 4, "", "malformed JSON: Unexpected end-of-input")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SampleRequirements.ANY.require(empty));
        assertEquals("docs.jsonl: the sample set has no documents; this analysis needs at least 1 document"
                + " (2 records were rejected; first: docs.jsonl:3: a: empty text)", e.getMessage());
    }

    @Test
    void perClassMinimumAndCountsAfterTokenizing() {
        SampleRequirements twoEach = SampleRequirements.FIGURE1.atLeastPerClass(2);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("physics", 5);
        counts.put("molecules", 1);
        counts.put("proteins", 1);
        assertEquals(List.of("class molecules has 1, proteins has 1; Figure 1 needs at least 2 documents per class"),
                twoEach.problems(counts));
        assertThrows(IllegalArgumentException.class, () -> new SampleRequirements("x", 0, 1, 1, false));
    }
}
