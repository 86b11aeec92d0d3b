package dev.routelens.embed;

/**
 * Hyper-parameters of one t-SNE run.
 *
 * @param dims         output dimensions, 2 or 3
 * @param perplexity   target perplexity of each point's neighbour distribution (clamped per data set by
 *                     {@link #effectivePerplexity(int)})
 * @param iterations   gradient steps; the first {@code min(250, iterations)} use early exaggeration 12
 * @param learningRate gradient step size (Smile's default is 200)
 * @param seed         seed of the random initial layout; the same seed gives the same coordinates
 * @param method       exact, Barnes-Hut, or chosen by size
 * @param theta        Barnes-Hut accuracy: a cell is summarised when its half side / distance is below theta
 *                     (0 = every pair exact; 0.5 is the usual trade-off)
 */
public record TsneConfig(
        int dims, double perplexity, int iterations, double learningRate, long seed, TsneMethod method, double theta) {

    public static final int DEFAULT_DIMS = 3;
    public static final double DEFAULT_PERPLEXITY = 30.0;
    public static final int DEFAULT_ITERATIONS = 1000;
    public static final double DEFAULT_LEARNING_RATE = 200.0;
    public static final long DEFAULT_SEED = 42L;
    public static final double DEFAULT_THETA = 0.5;

    public TsneConfig {
        if (dims != 2 && dims != 3) {
            throw new IllegalArgumentException("t-SNE config: dims must be 2 or 3, got " + dims);
        }
        if (!(perplexity >= 1.0) || Double.isInfinite(perplexity)) {
            throw new IllegalArgumentException("t-SNE config: perplexity must be a finite number >= 1, got " + perplexity);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("t-SNE config: iterations must be >= 1, got " + iterations);
        }
        if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("t-SNE config: learningRate must be a finite number > 0, got " + learningRate);
        }
        if (method == null) {
            throw new IllegalArgumentException("t-SNE config: method must not be null");
        }
        if (!(theta >= 0.0 && theta <= 1.5)) {
            throw new IllegalArgumentException("t-SNE config: theta must be in [0, 1.5], got " + theta);
        }
    }

    /** Three dimensions, perplexity 30, 1000 iterations, learning rate 200, seed 42, AUTO, theta 0.5. */
    public static TsneConfig defaults() {
        return new TsneConfig(DEFAULT_DIMS, DEFAULT_PERPLEXITY, DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE,
                DEFAULT_SEED, TsneMethod.AUTO, DEFAULT_THETA);
    }

    public TsneConfig withDims(int newDims) {
        return new TsneConfig(newDims, perplexity, iterations, learningRate, seed, method, theta);
    }

    public TsneConfig withPerplexity(double newPerplexity) {
        return new TsneConfig(dims, newPerplexity, iterations, learningRate, seed, method, theta);
    }

    public TsneConfig withIterations(int newIterations) {
        return new TsneConfig(dims, perplexity, newIterations, learningRate, seed, method, theta);
    }

    public TsneConfig withLearningRate(double newLearningRate) {
        return new TsneConfig(dims, perplexity, iterations, newLearningRate, seed, method, theta);
    }

    public TsneConfig withSeed(long newSeed) {
        return new TsneConfig(dims, perplexity, iterations, learningRate, newSeed, method, theta);
    }

    public TsneConfig withMethod(TsneMethod newMethod) {
        return new TsneConfig(dims, perplexity, iterations, learningRate, seed, newMethod, theta);
    }

    public TsneConfig withTheta(double newTheta) {
        return new TsneConfig(dims, perplexity, iterations, learningRate, seed, method, newTheta);
    }

    /**
     * The perplexity actually used for {@code n} points: the configured one, clamped to at most
     * {@code (n - 1) / 3} so that every point has enough neighbours to reach it.
     */
    public double effectivePerplexity(int n) {
        if (n < Tsne.MIN_POINTS) {
            throw new IllegalArgumentException(
                    "t-SNE needs at least " + Tsne.MIN_POINTS + " points, got " + n);
        }
        return Math.min(perplexity, (n - 1) / 3.0);
    }
}
