package dev.routelens.study;

import java.util.List;
import java.util.Locale;

/**
 * How Figure 1 is computed beyond the model and the documents: the embedding and the batching. Checked when
 * made, so that no bad value fails after the documents were routed. Messages name the fields as the CLI's
 * options spell them ({@code batch-docs}), which the CLI prefixes with {@code --}.
 *
 * @param seed seed of t-SNE (and of the CLI's per-class sampling)
 * @param dims 2 or 3
 * @param perplexity t-SNE perplexity, at least 1 (clamped below (n-1)/3 by t-SNE)
 * @param iterations t-SNE iterations, at least 1
 * @param method tsne (exact up to 3000 points, Barnes-Hut above), tsne-exact, tsne-bh or pca
 * @param batchTokens padded tokens per forward pass at most
 * @param batchDocs documents per forward pass at most
 */
public record Figure1Settings(long seed, int dims, double perplexity, int iterations, String method, int batchTokens,
                              int batchDocs) {
    /** The embedding methods, as named on the command line. */
    public static final List<String> METHODS = List.of("tsne", "pca", "tsne-exact", "tsne-bh");

    public Figure1Settings {
        if (dims != 2 && dims != 3) {
            throw new IllegalArgumentException("dims must be 2 or 3, got " + dims);
        }
        if (!(perplexity >= 1) || Double.isInfinite(perplexity)) { // NaN fails the first test
            throw new IllegalArgumentException("perplexity must be a finite number >= 1, got " + perplexity);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        if (batchTokens < 1) {
            throw new IllegalArgumentException("batch-tokens must be >= 1, got " + batchTokens);
        }
        if (batchDocs < 1) {
            throw new IllegalArgumentException("batch-docs must be >= 1, got " + batchDocs);
        }
        if (method == null || !METHODS.contains(method.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("method must be tsne, tsne-exact, tsne-bh or pca, got '" + method + "'");
        }
        method = method.toLowerCase(Locale.ROOT);
    }

    /** The paper's settings: 3-D t-SNE, perplexity 30, 1000 iterations, seed 42; batches of 4096 tokens, 32 documents. */
    public static Figure1Settings defaults() {
        return new Figure1Settings(42, 3, 30, 1000, "tsne", 4096, 32);
    }

    /** These settings with another seed. */
    public Figure1Settings withSeed(long newSeed) {
        return new Figure1Settings(newSeed, dims, perplexity, iterations, method, batchTokens, batchDocs);
    }

    /** These settings with another embedding method. */
    public Figure1Settings withMethod(String newMethod) {
        return new Figure1Settings(seed, dims, perplexity, iterations, newMethod, batchTokens, batchDocs);
    }
}
