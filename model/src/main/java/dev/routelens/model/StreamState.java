package dev.routelens.model;

import java.util.Arrays;
import java.util.List;

/**
 * Where a layer-major run stands after a decoder layer, enough to resume it exactly: group
 * {@code group} of the batches has passed layers {@code 0..layersDone-1}, and every earlier group
 * is finished.
 *
 * @param group the group in progress (see {@link StreamGroups})
 * @param layersDone decoder layers that group has completed, 1..L
 * @param residuals one packed float32 host copy [N_b * H] per batch of the group, in group order
 * @param finished the results of every batch of the earlier groups, null for the rest [batches]
 * @param extra the caller's own state at the same moment (its captures so far), opaque here
 */
public record StreamState(int group, int layersDone, List<float[]> residuals, ForwardResult[] finished, byte[] extra) {
    public StreamState {
        if (group < 0 || layersDone < 1) {
            throw new IllegalArgumentException("stream state needs group >= 0 and layersDone >= 1, got "
                    + group + ", " + layersDone);
        }
        residuals = List.copyOf(residuals);
        finished = finished.clone();
        extra = extra == null ? new byte[0] : extra.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamState s && s.group == group && s.layersDone == layersDone
                && residuals.size() == s.residuals.size()
                && java.util.stream.IntStream.range(0, residuals.size())
                        .allMatch(i -> Arrays.equals(residuals.get(i), s.residuals.get(i)))
                && finished.length == s.finished.length
                && java.util.stream.IntStream.range(0, finished.length).allMatch(i -> sameResult(finished[i], s.finished[i]))
                && Arrays.equals(extra, s.extra);
    }

    private static boolean sameResult(ForwardResult a, ForwardResult b) {
        return a == null ? b == null
                : b != null && Arrays.equals(a.nllSum(), b.nllSum()) && Arrays.equals(a.nllCount(), b.nllCount());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * group + layersDone) + Arrays.hashCode(extra);
    }
}
