package dev.routelens.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an analysis needs of its sample set, checked on the counts alone, so that a caller can refuse a
 * set before loading any model. Messages are in the user's terms: "the sample set has 1 class
 * (physics); Figure 1 needs at least 2".
 *
 * @param analysis what the numbers are for, as a message names it ("Figure 1")
 * @param minDocuments fewest documents in all
 * @param minClasses fewest distinct labels
 * @param minPerClass fewest documents in every class
 * @param aClassOfTwo whether some class must hold at least two documents (the silhouette needs fewer
 *     classes than documents)
 */
public record SampleRequirements(String analysis, int minDocuments, int minClasses, int minPerClass, boolean aClassOfTwo) {
    /**
     * Figure 1: t-SNE needs at least 4 points ({@code Tsne.MIN_POINTS}); the silhouette needs 2 to N-1
     * classes for N documents ({@code EmbeddingQuality.silhouette}), so at least 2 classes and one of
     * them with 2 documents; kNN (k = min(10, N-1)) and trustworthiness (k = min(5, (N-1)/2)) follow.
     */
    public static final SampleRequirements FIGURE1 = new SampleRequirements("Figure 1", 4, 2, 1, true);
    /** Any routing run (stats, ablate): at least one document. */
    public static final SampleRequirements ANY = new SampleRequirements("this analysis", 1, 1, 1, false);

    public SampleRequirements {
        Objects.requireNonNull(analysis, "analysis");
        if (minDocuments < 1 || minClasses < 1 || minPerClass < 1) {
            throw new IllegalArgumentException("sample requirements must be >= 1, got documents " + minDocuments
                    + ", classes " + minClasses + ", per class " + minPerClass);
        }
    }

    /** The same requirements with at least {@code n} documents in every class. */
    public SampleRequirements atLeastPerClass(int n) {
        return new SampleRequirements(analysis, minDocuments, minClasses, n, aClassOfTwo);
    }

    /** What {@code set} lacks, one sentence each; empty when it meets every requirement. */
    public List<String> problems(SampleSet set) {
        return problems(set.countsByLabel());
    }

    /**
     * What a set with these documents per label lacks; empty when it meets every requirement. Callers
     * can check again after records drop out later (the tokenizer refusing some).
     */
    public List<String> problems(Map<String, Integer> countsByLabel) {
        List<String> problems = new ArrayList<>();
        int documents = countsByLabel.values().stream().mapToInt(Integer::intValue).sum();
        int classes = countsByLabel.size();
        if (documents == 0) {
            problems.add("the sample set has no documents; " + analysis + " needs at least " + plural(minDocuments, "document"));
            return problems;
        }
        if (documents < minDocuments) {
            problems.add("the sample set has " + plural(documents, "document") + "; " + analysis + " needs at least "
                    + minDocuments);
        }
        if (classes < minClasses) {
            problems.add("the sample set has " + plural(classes, "class") + " (" + String.join(", ", countsByLabel.keySet())
                    + "); " + analysis + " needs at least " + minClasses);
        }
        List<String> small = countsByLabel.entrySet().stream().filter(e -> e.getValue() < minPerClass)
                .map(e -> e.getKey() + " has " + e.getValue()).toList();
        if (!small.isEmpty()) {
            problems.add("class " + String.join(", ", small) + "; " + analysis + " needs at least " + minPerClass
                    + " documents per class");
        }
        if (aClassOfTwo && classes >= 2 && documents >= 2 && countsByLabel.values().stream().allMatch(n -> n < 2)) {
            problems.add("every class has a single document (" + plural(documents, "document") + " in "
                    + plural(classes, "class") + "); " + analysis + "'s silhouette needs a class with at least 2");
        }
        return problems;
    }

    /**
     * Returns {@code set} when it meets every requirement.
     *
     * @throws IllegalArgumentException with a one-line message naming the set, what it lacks and, when
     *     records were rejected, how many and the first of them
     */
    public SampleSet require(SampleSet set) {
        List<String> problems = problems(set);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(set.source() + ": " + String.join("; ", problems) + rejected(set));
        }
        return set;
    }

    /** " (3 records were rejected; first: file:line: reason)", or "" when none were. */
    static String rejected(SampleSet set) {
        if (set.errors().isEmpty()) {
            return "";
        }
        String first = set.errors().get(0).toString().lines().findFirst().orElse("");
        int count = set.errors().size();
        return " (" + (count == 1 ? "1 record was rejected: " : count + " records were rejected; first: ") + first + ")";
    }

    private static String plural(int n, String noun) {
        return n + " " + (n == 1 ? noun : noun.endsWith("s") ? noun + "es" : noun + "s");
    }
}
