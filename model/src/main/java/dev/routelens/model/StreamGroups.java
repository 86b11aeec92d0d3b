package dev.routelens.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a layer-major run's batches into groups whose resident residual stream fits a memory
 * budget. Each group makes a full pass (weights are loaded once per group), so one group is best.
 * Batches stay in order; a batch larger than the budget forms a group of its own.
 */
public final class StreamGroups {
    private StreamGroups() {
    }

    /** Bytes of the residual stream of {@code batch}: N tokens x H x element size. */
    public static long residualBytes(TokenBatch batch, MoeConfig config, Precision precision) {
        return (long) batch.tokenCount() * config.hiddenSize() * precision.dataType().getNumOfBytes();
    }

    /** Consecutive batch indices per group. */
    public static List<int[]> split(List<TokenBatch> batches, MoeConfig config, Precision precision, long budget) {
        if (budget <= 0) {
            throw new IllegalArgumentException("memory budget must be positive, got " + budget);
        }
        List<int[]> groups = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long used = 0;
        for (int b = 0; b < batches.size(); b++) {
            long bytes = residualBytes(batches.get(b), config, precision);
            if (!current.isEmpty() && used + bytes > budget) {
                groups.add(current.stream().mapToInt(Integer::intValue).toArray());
                current = new ArrayList<>();
                used = 0;
            }
            current.add(b);
            used += bytes;
        }
        if (!current.isEmpty()) {
            groups.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
        return groups;
    }
}
