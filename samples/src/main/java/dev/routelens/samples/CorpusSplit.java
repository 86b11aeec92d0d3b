package dev.routelens.samples;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic train / held-out split of a sample set, meant for the shared corpus. Within each
 * label, samples are ordered by the SHA-256 of their id (UTF-8 bytes, compared as unsigned bytes;
 * ties by id) and the first {@link #heldOutCount(int)} = min(size, max(20, ceil(size / 4))) are held
 * out. The split depends only on the ids and labels, not on file order, seeds or the machine; adding
 * records to a label can move its cut-off.
 */
public final class CorpusSplit {
    /** Every label holds out at least this many samples (all of them when it has fewer). */
    public static final int MIN_HELD_OUT = 20;
    /** And at least this fraction of its samples, rounded up. */
    public static final double HELD_OUT_FRACTION = 0.25;

    private final List<Sample> train;
    private final List<Sample> heldOut;
    private final Set<String> heldOutIds;

    private CorpusSplit(List<Sample> train, List<Sample> heldOut) {
        this.train = List.copyOf(train);
        this.heldOut = List.copyOf(heldOut);
        this.heldOutIds = new HashSet<>();
        heldOut.forEach(sample -> heldOutIds.add(sample.id()));
    }

    /** Splits {@code set}; both lists keep the set's order. */
    public static CorpusSplit split(SampleSet set) {
        Map<String, List<Sample>> byLabel = new LinkedHashMap<>();
        for (Sample sample : set.samples()) {
            byLabel.computeIfAbsent(sample.label(), label -> new ArrayList<>()).add(sample);
        }
        Set<String> held = new HashSet<>();
        for (List<Sample> samples : byLabel.values()) {
            List<Sample> ordered = new ArrayList<>(samples);
            Map<String, byte[]> digests = new LinkedHashMap<>();
            ordered.forEach(sample -> digests.put(sample.id(), sha256(sample.id())));
            ordered.sort(Comparator.<Sample, byte[]>comparing(sample -> digests.get(sample.id()), Arrays::compareUnsigned)
                    .thenComparing(Sample::id));
            ordered.subList(0, heldOutCount(ordered.size())).forEach(sample -> held.add(sample.id()));
        }
        List<Sample> train = new ArrayList<>();
        List<Sample> heldOut = new ArrayList<>();
        for (Sample sample : set.samples()) {
            (held.contains(sample.id()) ? heldOut : train).add(sample);
        }
        return new CorpusSplit(train, heldOut);
    }

    /** How many of a label's {@code size} samples are held out. */
    public static int heldOutCount(int size) {
        int quarter = (int) Math.ceil(size * HELD_OUT_FRACTION);
        return Math.min(size, Math.max(MIN_HELD_OUT, quarter));
    }

    public List<Sample> train() {
        return train;
    }

    public List<Sample> heldOut() {
        return heldOut;
    }

    /** Whether {@code sample} (matched by id) is in the held-out part. */
    public boolean isHeldOut(Sample sample) {
        return heldOutIds.contains(sample.id());
    }

    /** Whether the sample with this id is in the held-out part. */
    public boolean isHeldOut(String id) {
        return heldOutIds.contains(id);
    }

    static byte[] sha256(String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
