package dev.routelens.study;

import dev.routelens.embed.EmbeddingQuality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sizes the Figure 1 measures really used, and what they mean for a small set. kNN takes k = min(10, N-1)
 * neighbours and t-SNE clamps its perplexity to (N-1)/3. A class of no more than k documents fills fewer than k of
 * a member's neighbours however well it separates, so its members lose the vote to other classes: the accuracy
 * then reads near 0 for reasons of size, not routing.
 *
 * @param knnKRequested the default neighbourhood, {@value EmbeddingQuality#DEFAULT_KNN_K}
 * @param knnK the k the accuracies used
 * @param smallestClass the label with the fewest documents
 * @param smallestClassSize its documents
 * @param perplexityRequested the t-SNE perplexity asked for
 * @param perplexity the one t-SNE used; empty for PCA
 */
public record Figure1Caveats(int knnKRequested, int knnK, String smallestClass, int smallestClassSize,
                             double perplexityRequested, Optional<Double> perplexity) {
    public Figure1Caveats {
        if (knnK < 1 || knnK > knnKRequested || smallestClassSize < 1) {
            throw new IllegalArgumentException("Figure 1 caveats: k " + knnK + " of " + knnKRequested
                    + ", smallest class " + smallestClassSize);
        }
    }

    /** From the class counts, the k the report used, and the embedding's recorded perplexity (NaN for none). */
    static Figure1Caveats of(Map<String, Integer> counts, int knnK, double perplexityRequested, double perplexity) {
        Map.Entry<String, Integer> smallest = counts.entrySet().stream().min(Map.Entry.comparingByValue())
                .orElseThrow(() -> new IllegalArgumentException("Figure 1 caveats: no class"));
        return new Figure1Caveats(EmbeddingQuality.DEFAULT_KNN_K, knnK, smallest.getKey(), smallest.getValue(),
                perplexityRequested, Double.isNaN(perplexity) ? Optional.empty() : Optional.of(perplexity));
    }

    /** One line each, for the summary and metrics.json; empty when the measures mean what they say. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        if (knnK >= smallestClassSize) {
            out.add(String.format("kNN (k=%d) is at least the size of class %s (%d documents): at most %d of a"
                            + " member's %d neighbours can share its class, so the kNN accuracies say more about the"
                            + " class sizes than the routing (use more than %d documents per class)", knnK,
                    smallestClass, smallestClassSize, smallestClassSize - 1, knnK, knnK));
        }
        if (perplexity.isPresent() && perplexity.get() < perplexityRequested) {
            out.add(String.format("t-SNE perplexity %s was clamped to %.3f, (N-1)/3 for this set", plain(perplexityRequested),
                    perplexity.get()));
        }
        return out;
    }

    /** The fields metrics.json records, snake_case. */
    Map<String, Object> json() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("knn_k_requested", knnKRequested);
        m.put("knn_k_effective", knnK);
        m.put("smallest_class", smallestClass);
        m.put("smallest_class_size", smallestClassSize);
        m.put("perplexity_requested", perplexityRequested);
        m.put("perplexity_effective", perplexity.orElse(null));
        m.put("warnings", warnings());
        return m;
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
