package dev.routelens.routing;

import dev.routelens.core.InputKind;
import java.util.Random;

/** Small builders for test documents. */
final class RoutingFixtures {

    private RoutingFixtures() {}

    /** A text document whose layers are given as [T][E] arrays. */
    static DocumentRouting document(String id, String label, int[] tokenIds, float[][]... layers) {
        return new DocumentRouting(id, label, InputKind.TEXT, tokenIds, layers);
    }

    /** Token ids 0..T-1. */
    static int[] sequentialIds(int tokens) {
        int[] ids = new int[tokens]; // [T]
        for (int t = 0; t < tokens; t++) {
            ids[t] = t;
        }
        return ids;
    }

    /** The same token id T times. */
    static int[] repeatedId(int id, int tokens) {
        int[] ids = new int[tokens]; // [T]
        java.util.Arrays.fill(ids, id);
        return ids;
    }

    /** T rows of E equal logits. */
    static float[][] equalLogits(int tokens, int experts) {
        return new float[tokens][experts]; // [T][E]
    }

    /** Standard Gaussian gate logits: a router with no preference. */
    static float[][][] gaussianLogits(Random random, int layers, int tokens, int experts) {
        float[][][] logits = new float[layers][tokens][experts]; // [L][T][E]
        for (float[][] layer : logits) {
            for (float[] row : layer) {
                for (int e = 0; e < experts; e++) {
                    row[e] = (float) random.nextGaussian();
                }
            }
        }
        return logits;
    }
}
