package dev.routelens.samples;

import dev.routelens.core.Labels;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Samples read from one source, with the records that were rejected.
 *
 * @param samples the accepted records, in reading order
 * @param errors the rejected records, in reading order
 * @param source what was read (a path, usually)
 */
public record SampleSet(List<Sample> samples, List<SampleError> errors, String source) {
    public SampleSet {
        samples = List.copyOf(samples);
        errors = List.copyOf(errors);
        Objects.requireNonNull(source, "sample set source");
    }

    /** Number of samples per label, in {@link Labels#ORDER}; labels without samples are absent. */
    public Map<String, Integer> countsByLabel() {
        Map<String, Integer> sorted = new TreeMap<>(Labels.ORDER);
        for (Sample sample : samples) {
            sorted.merge(sample.label(), 1, Integer::sum);
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }

    /** The labels present, in {@link Labels#ORDER}. */
    public List<String> labels() {
        return List.copyOf(countsByLabel().keySet());
    }

    /** The samples with {@code label}, in reading order. */
    public List<Sample> withLabel(String label) {
        return samples.stream().filter(sample -> sample.label().equals(label)).toList();
    }

    public int size() {
        return samples.size();
    }
}
