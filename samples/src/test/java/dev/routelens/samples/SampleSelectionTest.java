package dev.routelens.samples;

import dev.routelens.core.InputKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleSelectionTest {
    /** 40 physics, 30 biology, 3 proteins, 10 other, in a scrambled order. */
    static SampleSet corpus() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            samples.add(SampleSetTest.sample("phy-" + i, "physics"));
        }
        for (int i = 0; i < 30; i++) {
            samples.add(SampleSetTest.sample("bio-" + i, "biology"));
        }
        for (int i = 0; i < 3; i++) {
            samples.add(SampleSetTest.sample("prot-" + i, "proteins"));
        }
        for (int i = 0; i < 10; i++) {
            samples.add(SampleSetTest.sample("oth-" + i, "other"));
        }
        Collections.shuffle(samples, new Random(99));
        return new SampleSet(samples, List.of(new SampleError("f", 3, "x", "bad")), "corpus");
    }

    @Test
    void labelsKeepsOnlyThoseAndNamesAvailableOnesWhenUnknown() {
        SampleSet kept = SampleSelection.labels(corpus(), List.of("biology", "proteins"));
        assertEquals(List.of("biology", "proteins"), kept.labels());
        assertEquals(33, kept.size());
        assertEquals(1, kept.errors().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleSelection.labels(corpus(), List.of("physics", "chemistry")));
        assertEquals("unknown label chemistry in corpus; available: physics, biology, proteins, other", e.getMessage());
    }

    @Test
    void perClassIsReproducibleAndIndependentOfInputOrder() {
        SampleSet set = corpus();
        SampleSet first = SampleSelection.perClass(set, 5, 42);
        assertEquals(first, SampleSelection.perClass(set, 5, 42));
        List<Sample> reversed = new ArrayList<>(set.samples());
        Collections.reverse(reversed);
        assertEquals(first.samples(),
                SampleSelection.perClass(new SampleSet(reversed, set.errors(), set.source()), 5, 42).samples());
        assertNotEquals(first.samples(), SampleSelection.perClass(set, 5, 43).samples());
        assertEquals(List.of(5, 5, 3, 5), List.copyOf(first.countsByLabel().values()), "proteins keeps all 3");
        assertEquals(List.of("physics", "biology", "proteins", "other"), first.labels());
    }

    @Test
    void perClassFollowsTheDocumentedDraw() {
        SampleSet set = corpus();
        long seed = 7;
        List<Sample> expected = new ArrayList<>();
        for (String label : List.of("physics", "biology", "proteins", "other")) {
            List<Sample> ofLabel = new ArrayList<>(set.withLabel(label));
            ofLabel.sort(Comparator.comparing(Sample::id));
            Collections.shuffle(ofLabel, new Random(SampleSelection.labelSeed(seed, label)));
            List<Sample> drawn = new ArrayList<>(ofLabel.subList(0, Math.min(4, ofLabel.size())));
            drawn.sort(Comparator.comparing(Sample::id));
            expected.addAll(drawn);
        }
        assertEquals(expected, SampleSelection.perClass(set, 4, seed).samples());
        // A label's draw does not depend on the other labels being present.
        SampleSet biologyOnly = SampleSelection.labels(set, List.of("biology"));
        assertEquals(SampleSelection.perClass(set, 4, seed).withLabel("biology"),
                SampleSelection.perClass(biologyOnly, 4, seed).samples());
        assertThrows(IllegalArgumentException.class, () -> SampleSelection.perClass(set, 0, seed));
    }

    @Test
    void classesOfEqualSizeDoNotKeepTheSamePositions() {
        List<Sample> all = new ArrayList<>();
        for (String label : List.of("mathematics", "physics", "chemistry", "biology")) {
            for (int i = 0; i < 100; i++) {
                all.add(new Sample(String.format("%s-%03d", label.substring(0, 4), i), label, dev.routelens.core.InputKind.TEXT,
                        "text " + i, "test"));
            }
        }
        SampleSet drawn = SampleSelection.perClass(new SampleSet(all, List.of(), "test"), 2, 42);
        java.util.Set<String> positions = new java.util.HashSet<>();
        for (Sample s : drawn.samples()) {
            positions.add(s.id().substring(5));
        }
        assertTrue(positions.size() > 2, "every class drew the same positions: " + drawn.samples().stream().map(Sample::id).toList());
    }

    @Test
    void requireNonEmptyNamesTheEmptyClasses() {
        SampleSet set = corpus();
        assertSame(set, SampleSelection.requireNonEmpty(set, List.of("physics", "proteins")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleSelection.requireNonEmpty(set, List.of("physics", "chemistry", "mathematics")));
        assertTrue(e.getMessage().startsWith("no samples for classes chemistry, mathematics in corpus"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(1 record was rejected: f:3: x: bad)"), e.getMessage());
    }
}
