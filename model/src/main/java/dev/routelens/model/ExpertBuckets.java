package dev.routelens.model;

import java.util.Arrays;

/**
 * The N*k top-k slots of a batch sorted by expert, on the host: a stable counting sort of the chosen expert
 * ids, so expert j's tokens are the contiguous sorted slots {@code start[j]..start[j+1]-1}, in token order.
 * Sparse dispatch gathers the rows in sorted order once, runs each expert on its slice, and undoes the sort
 * with {@code inverse}. Slot s is token {@code s / k}'s choice number {@code s % k}.
 *
 * @param start first sorted slot of each expert, and N*k at the end // [E + 1]
 * @param sortedRows token row of each sorted slot // [N*k]
 * @param inverse sorted position of each slot // [N*k]
 */
public record ExpertBuckets(int[] start, long[] sortedRows, long[] inverse) {

    /** Buckets the top-k ids [N*k] (row-major [N, k]) of a batch over {@code numExperts} experts. */
    public static ExpertBuckets of(long[] ids, int numExperts, int topK) {
        int slots = ids.length;
        int[] start = new int[numExperts + 1];
        for (long e : ids) {
            start[(int) e + 1]++;
        }
        for (int e = 0; e < numExperts; e++) {
            start[e + 1] += start[e];
        }
        int[] fill = start.clone();
        long[] sortedRows = new long[slots];
        long[] inverse = new long[slots];
        for (int s = 0; s < slots; s++) {
            int pos = fill[(int) ids[s]]++;
            sortedRows[pos] = s / topK;
            inverse[s] = pos;
        }
        return new ExpertBuckets(start, sortedRows, inverse);
    }

    /** E, the number of experts. */
    public int experts() {
        return start.length - 1;
    }

    /** n_j: the slots (tokens) routed to {@code expert}. */
    public int count(int expert) {
        return start[expert + 1] - start[expert];
    }

    /** The token rows routed to {@code expert}, ascending. // [n_j] */
    public long[] rows(int expert) {
        return Arrays.copyOfRange(sortedRows, start[expert], start[expert + 1]);
    }
}
