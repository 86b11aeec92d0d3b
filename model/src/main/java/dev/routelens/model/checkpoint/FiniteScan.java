package dev.routelens.model.checkpoint;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads every value of a checkpoint's tensors once and refuses the first NaN or infinity (and, for the
 * F16 compute path, the first value beyond F16's range), naming the file, the tensor and the index, as
 * a checked read would ({@link SafetensorsFile#scan}). Loading calls it before the first layer is built,
 * so a broken layer 17 fails at once instead of after 16 layers of compute. Tensors are scanned in
 * parallel; the problem reported is the first in list order.
 */
public final class FiniteScan {
    private FiniteScan() {
    }

    /** Scans {@code names} of {@code checkpoint}; throws the first problem found in list order. */
    public static void check(Checkpoint checkpoint, List<String> names, boolean refuseF16Overflow)
            throws CheckpointException {
        CheckpointException[] problems = new CheckpointException[names.size()]; // [tensor]
        IntStream.range(0, names.size()).parallel().forEach(i -> {
            try {
                checkpoint.scan(names.get(i), refuseF16Overflow);
            } catch (CheckpointException e) {
                problems[i] = e;
            }
        });
        for (CheckpointException p : problems) {
            if (p != null) {
                throw p;
            }
        }
    }
}
