package dev.routelens.routing;

/** Sums for {@link ExpertSaliency} of one class: sum of weight x output norm, and tokens, per MoE layer and expert. */
final class SaliencyCounts implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    final double[][] weightedNorm; // [M][E]
    final long[][] tokens;         // [M][E]

    SaliencyCounts(int layers, int experts) {
        weightedNorm = new double[layers][experts];
        tokens = new long[layers][experts];
    }

    /** Adds one document's chosen experts, weights and output norms. */
    void add(ExpertOutputs outputs) {
        for (int m = 0; m < weightedNorm.length; m++) {
            for (int t = 0; t < outputs.numTokens(); t++) {
                int[] chosen = outputs.experts()[m][t]; // [k]
                for (int s = 0; s < chosen.length; s++) {
                    weightedNorm[m][chosen[s]] += (double) outputs.weights()[m][t][s] * outputs.outputNorms()[m][t][s];
                    tokens[m][chosen[s]]++;
                }
            }
        }
    }

    void addAll(SaliencyCounts other) {
        for (int m = 0; m < weightedNorm.length; m++) {
            for (int e = 0; e < weightedNorm[m].length; e++) {
                weightedNorm[m][e] += other.weightedNorm[m][e];
                tokens[m][e] += other.tokens[m][e];
            }
        }
    }

    /** S per layer and expert, NaN where no token chose the expert. // [M][E] */
    double[][] scores() {
        double[][] s = new double[weightedNorm.length][];
        for (int m = 0; m < s.length; m++) {
            s[m] = new double[weightedNorm[m].length];
            for (int e = 0; e < s[m].length; e++) {
                s[m][e] = tokens[m][e] == 0 ? Double.NaN : weightedNorm[m][e] / tokens[m][e];
            }
        }
        return s;
    }

    long[][] tokenCopy() {
        long[][] copy = new long[tokens.length][];
        for (int m = 0; m < copy.length; m++) {
            copy[m] = tokens[m].clone();
        }
        return copy;
    }
}
