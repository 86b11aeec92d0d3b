package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExpertBucketsTest {

    @Test
    void slotsAreSortedByExpertInTokenOrderAndInverseUndoesTheSort() {
        long[] ids = {2, 0, 0, 1, 2, 1}; // [N=3, k=2]: token 0 -> {2, 0}, token 1 -> {0, 1}, token 2 -> {2, 1}
        ExpertBuckets b = ExpertBuckets.of(ids, 4, 2);
        assertArrayEquals(new int[] {0, 2, 4, 6, 6}, b.start());
        assertArrayEquals(new long[] {0, 1, 1, 2, 0, 2}, b.sortedRows());
        assertArrayEquals(new long[] {0, 1}, b.rows(0));
        assertArrayEquals(new long[] {1, 2}, b.rows(1));
        assertArrayEquals(new long[] {0, 2}, b.rows(2));
        assertEquals(0, b.count(3));
        for (int s = 0; s < ids.length; s++) {
            assertEquals(s / 2, b.sortedRows()[(int) b.inverse()[s]], "slot " + s + " comes back to its token");
        }
    }
}
