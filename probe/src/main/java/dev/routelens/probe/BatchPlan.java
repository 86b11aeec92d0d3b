package dev.routelens.probe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Groups documents into batches by length, so that little of each padded [B, T] grid is padding.
 * Documents are sorted by length and cut into batches of at most {@code maxTokens} padded tokens
 * and {@code maxDocuments} documents.
 *
 * @param batches document indices of each batch
 * @param paddingFraction padded positions over all grid positions
 */
public record BatchPlan(List<int[]> batches, double paddingFraction) {

    public static BatchPlan of(List<int[]> docs, int maxTokens, int maxDocuments) {
        if (maxTokens <= 0 || maxDocuments <= 0) {
            throw new IllegalArgumentException("batch limits must be positive");
        }
        Integer[] order = IntStream.range(0, docs.size()).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.comparingInt((Integer i) -> docs.get(i).length).thenComparingInt(i -> i));
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long grid = 0;
        long real = 0;
        int currentMax = 0;
        for (int i : order) {
            int len = docs.get(i).length;
            int newMax = Math.max(currentMax, len);
            if (!current.isEmpty() && ((long) newMax * (current.size() + 1) > maxTokens || current.size() >= maxDocuments)) {
                grid += (long) currentMax * current.size();
                batches.add(current.stream().mapToInt(Integer::intValue).toArray());
                current = new ArrayList<>();
                newMax = len;
            }
            current.add(i);
            currentMax = newMax;
            real += len;
        }
        if (!current.isEmpty()) {
            grid += (long) currentMax * current.size();
            batches.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
        return new BatchPlan(List.copyOf(batches), grid == 0 ? 0 : 1.0 - real / (double) grid);
    }
}
