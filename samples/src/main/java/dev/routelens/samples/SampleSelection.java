package dev.routelens.samples;

import dev.routelens.core.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/** Picks the classes and the number of samples per class that an analysis uses. */
public final class SampleSelection {
    private SampleSelection() {
    }

    /**
     * Keeps only the samples whose label is in {@code labels}, compared as the readers compare labels
     * ({@link Labels#key}: case and surrounding whitespace do not matter); errors and source are kept.
     *
     * @throws IllegalArgumentException naming the available labels when one is not in the set
     */
    public static SampleSet labels(SampleSet set, List<String> labels) {
        Set<String> wanted = new LinkedHashSet<>();
        labels.forEach(label -> wanted.add(Labels.key(label)));
        List<String> available = set.labels();
        Set<String> availableKeys = new LinkedHashSet<>();
        available.forEach(label -> availableKeys.add(Labels.key(label)));
        List<String> unknown = labels.stream().distinct().filter(label -> !availableKeys.contains(Labels.key(label))).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown label" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " in " + set.source() + "; available: " + String.join(", ", available));
        }
        List<Sample> kept = set.samples().stream().filter(sample -> wanted.contains(Labels.key(sample.label()))).toList();
        return new SampleSet(kept, set.errors(), set.source());
    }

    /**
     * Draws up to {@code n} samples of every label, reproducibly: each label's samples are sorted by id
     * and shuffled with {@code new java.util.Random(labelSeed(seed, label))} (a fresh generator per label, so
     * one label's draw does not depend on which other labels are present, and seeded by the label too, so
     * classes of equal size do not all keep the same positions, as math-064 and phys-064 did), and the first
     * {@code n} are kept. The
     * result lists labels in {@link Labels#ORDER} and each label's samples by id. Labels with fewer than
     * {@code n} samples keep all of them.
     */
    public static SampleSet perClass(SampleSet set, int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("samples per class must be >= 1, got " + n);
        }
        Map<String, List<Sample>> byLabel = new TreeMap<>(Labels.ORDER);
        for (Sample sample : set.samples()) {
            byLabel.computeIfAbsent(sample.label(), label -> new ArrayList<>()).add(sample);
        }
        List<Sample> kept = new ArrayList<>();
        for (List<Sample> samples : byLabel.values()) {
            samples.sort(Comparator.comparing(Sample::id));
            Collections.shuffle(samples, new Random(labelSeed(seed, samples.get(0).label())));
            List<Sample> drawn = new ArrayList<>(samples.subList(0, Math.min(n, samples.size())));
            drawn.sort(Comparator.comparing(Sample::id));
            kept.addAll(drawn);
        }
        return new SampleSet(kept, set.errors(), set.source());
    }

    /** The seed of {@code label}'s draw: {@code seed} mixed with the label's key (its lower-case name). */
    public static long labelSeed(long seed, String label) {
        return seed ^ (0x9E3779B97F4A7C15L * Labels.key(label).hashCode());
    }

    /**
     * Returns {@code set} unchanged when every one of {@code labels} has at least one sample.
     *
     * @throws IllegalArgumentException naming the empty classes otherwise
     */
    public static SampleSet requireNonEmpty(SampleSet set, List<String> labels) {
        Set<String> present = new LinkedHashSet<>();
        set.countsByLabel().keySet().forEach(label -> present.add(Labels.key(label)));
        List<String> empty = labels.stream().distinct().filter(label -> !present.contains(Labels.key(label))).toList();
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("no samples for class" + (empty.size() > 1 ? "es " : " ")
                    + String.join(", ", empty) + " in " + set.source() + SampleRequirements.rejected(set));
        }
        return set;
    }

    /**
     * Returns {@code set} when it meets {@code requirements} (e.g. {@link SampleRequirements#FIGURE1});
     * cheap, meant to run before any model is loaded.
     *
     * @throws IllegalArgumentException with a one-line message saying what the set lacks
     */
    public static SampleSet require(SampleSet set, SampleRequirements requirements) {
        return requirements.require(set);
    }
}
