package dev.routelens.model.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Interleaved repeats run a warm-up of each variant, then the variants in turn, and report medians. */
class RepeatsTest {
    @Test
    void variantsRunInTurnAfterOneWarmUpEach() {
        List<String> order = new ArrayList<>();
        List<Long> progress = new ArrayList<>();
        List<Repeats> r = Repeats.interleaved(2, List.of(() -> order.add("a"), () -> order.add("b")), progress::add);
        assertEquals(List.of("a", "b", "a", "b", "a", "b"), order);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), progress);
        assertEquals(2, r.size());
        assertEquals(2, r.get(0).seconds().length, "warm-ups are not timed");
        assertTrue(r.get(1).median() >= 0);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Repeats.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Repeats.median(new double[] {4, 1, 3, 2}));
        assertTrue(Double.isNaN(Repeats.median(new double[0])));
        double[] v = {3, 1, 2};
        Repeats.median(v);
        assertArrayEquals(new double[] {3, 1, 2}, v, "median leaves its input alone");
    }
}
