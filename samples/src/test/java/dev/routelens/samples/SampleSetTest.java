package dev.routelens.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.routelens.core.InputKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleSetTest {
    static Sample sample(String id, String label) {
        return new Sample(id, label, InputKind.TEXT, "text of " + id, "test");
    }

    @Test
    void countsFollowFigureOrderThenAlphabetical() {
        List<Sample> samples = new ArrayList<>();
        String[] labels = {"zoology", "proteins", "other", "physics", "physics", "astronomy", "mathematics", "molecules",
            "biology", "chemistry", "other"};
        for (int i = 0; i < labels.length; i++) {
            samples.add(sample("s" + i, labels[i]));
        }
        SampleSet set = new SampleSet(samples, List.of(), "test");
        assertEquals(List.of("mathematics", "physics", "chemistry", "biology", "molecules", "proteins", "astronomy",
                "other", "zoology"), set.labels());
        assertEquals(List.of(1, 2, 1, 1, 1, 1, 1, 2, 1), List.copyOf(set.countsByLabel().values()));
    }

    @Test
    void recordsValidateThemselves() {
        assertThrows(NullPointerException.class, () -> new Sample(null, "physics", InputKind.TEXT, "x", "s"));
        assertThrows(NullPointerException.class, () -> new Sample("a", "physics", null, "x", "s"));
        assertThrows(NullPointerException.class, () -> new Sample("a", "physics", InputKind.TEXT, null, "s"));
        assertThrows(IllegalArgumentException.class, () -> new Sample(" ", "physics", InputKind.TEXT, "x", "s"));
        assertThrows(NullPointerException.class, () -> new SampleError(null, 1, "a", "r"));
        assertEquals("", new SampleError("f", 1, null, "r").id());
        List<Sample> mutable = new ArrayList<>(List.of(sample("a", "physics")));
        SampleSet set = new SampleSet(mutable, List.of(), "test");
        mutable.clear();
        assertEquals(1, set.size(), "the set keeps its own copy");
    }
}
