package dev.routelens.embed;

import java.util.Random;

/** Seeded synthetic data for the tests and the benchmark. */
final class SyntheticData {

    /** Points and their class labels. */
    record Labelled(double[][] x, String[] labels) {
    }

    private SyntheticData() {
    }

    /**
     * {@code classes} isotropic Gaussian blobs of {@code perClass} points each in {@code width} dimensions:
     * centres drawn N(0, separation^2) per coordinate, points N(centre, 1). Labels are "c0", "c1", ...
     */
    static Labelled blobs(int classes, int perClass, int width, double separation, long seed) {
        Random random = new Random(seed);
        double[][] centres = new double[classes][width];
        for (double[] centre : centres) {
            for (int d = 0; d < width; d++) {
                centre[d] = random.nextGaussian() * separation;
            }
        }
        int n = classes * perClass;
        double[][] x = new double[n][width]; // [N, width]
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            labels[i] = "c" + c;
            for (int d = 0; d < width; d++) {
                x[i][d] = centres[c][d] + random.nextGaussian();
            }
        }
        return new Labelled(x, labels);
    }

    /**
     * Routing-like features: per document, 26 layers x 8 experts of top-2 selection frequencies over
     * {@code tokens} tokens, drawn from a per-class expert preference with per-document jitter.
     */
    static Labelled routingFrequencies(int classes, int perClass, int tokens, long seed) {
        int layers = 26;
        int experts = 8;
        Random random = new Random(seed);
        double[][][] preference = new double[classes][layers][experts];
        for (double[][] cls : preference) {
            for (double[] layer : cls) {
                for (int e = 0; e < experts; e++) {
                    layer[e] = Math.exp(random.nextGaussian());
                }
            }
        }
        int n = classes * perClass;
        double[][] x = new double[n][layers * experts]; // [N, 208]
        String[] labels = new String[n];
        double[] weights = new double[experts];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            labels[i] = "c" + c;
            for (int l = 0; l < layers; l++) {
                double total = 0.0;
                for (int e = 0; e < experts; e++) {
                    weights[e] = preference[c][l][e] * Math.exp(0.3 * random.nextGaussian());
                    total += weights[e];
                }
                for (int t = 0; t < tokens; t++) {
                    // Two distinct experts per token, drawn without replacement.
                    int first = draw(weights, total, -1, random);
                    int second = draw(weights, total - weights[first], first, random);
                    x[i][l * experts + first] += 1.0 / tokens;
                    x[i][l * experts + second] += 1.0 / tokens;
                }
            }
        }
        return new Labelled(x, labels);
    }

    private static int draw(double[] weights, double total, int excluded, Random random) {
        double u = random.nextDouble() * total;
        int last = -1;
        for (int e = 0; e < weights.length; e++) {
            if (e == excluded) {
                continue;
            }
            last = e;
            u -= weights[e];
            if (u < 0) {
                return e;
            }
        }
        return last;
    }
}
