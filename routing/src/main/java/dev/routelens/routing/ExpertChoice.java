package dev.routelens.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * A document's expert-choice vector {@code E_T = concat(e_1..e_L)} over the model's MoE layers, layer-major,
 * M*E numbers (M = L when every layer is an MoE layer; a family's dense layers have no router and no entry).
 * Columns are named by real layer index ({@link #columnNames(int[], int)}).
 *
 * <p>SciDFM (arXiv 2409.18412, Figure 1) defines {@code e_i = softmax(sum_t g_i[t])}: the gate
 * logits of layer i summed over the document's tokens, then one softmax. Two alternatives are
 * offered for comparison; see {@link Variant}. All sums are in double.
 */
public final class ExpertChoice {

    /** How one layer's T rows of gate logits become one distribution over E experts. */
    public enum Variant {
        /** The paper's: softmax of the logits summed over tokens. The default. */
        LOGIT_SUM_SOFTMAX,
        /** Mean over tokens of the per-token softmax probabilities. */
        MEAN_PROB,
        /** Fraction of the T*k top-k slots that each expert receives ({@link TopK} rule). */
        TOPK_FREQUENCY
    }

    private ExpertChoice() {}

    /** The paper's vector ({@link Variant#LOGIT_SUM_SOFTMAX}) of {@code document}; [L*E]. */
    public static double[] vector(DocumentRouting document) {
        return vector(document, Variant.LOGIT_SUM_SOFTMAX, 1);
    }

    /**
     * The choice vector of {@code document}; [L*E], layer-major. {@code topK} is used by
     * {@link Variant#TOPK_FREQUENCY} only but must lie in [1, E] for every variant.
     */
    public static double[] vector(DocumentRouting document, Variant variant, int topK) {
        try {
            return new Accumulator(document.numLayers(), document.numExperts(), variant, topK)
                    .add(document.gateLogits())
                    .vector();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("document '" + document.id() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The paper's vector from per-layer logit sums [L][E], which may have been added up over
     * chunks of one long document; [L*E].
     */
    public static double[] fromLogitSums(double[][] sums) {
        if (sums == null || sums.length == 0) {
            throw new IllegalArgumentException("logit sums: no layers");
        }
        int experts = sums[0].length;
        if (experts == 0) {
            throw new IllegalArgumentException("logit sums: no experts");
        }
        double[] vector = new double[sums.length * experts]; // [L*E]
        for (int layer = 0; layer < sums.length; layer++) {
            if (sums[layer].length != experts) {
                throw new IllegalArgumentException("logit sums: layer " + layer + " has " + sums[layer].length
                        + " experts, expected " + experts);
            }
            for (int e = 0; e < experts; e++) {
                if (!Double.isFinite(sums[layer][e])) {
                    throw new IllegalArgumentException("logit sums: layer " + layer + " expert " + e
                            + " is " + sums[layer][e]);
                }
            }
            double[] layerChoice = TopK.softmax(sums[layer]); // [E]
            System.arraycopy(layerChoice, 0, vector, layer * experts, experts);
        }
        return vector;
    }

    /** Per-layer sums over tokens of a document's gate logits; [L][E]. */
    public static double[][] logitSums(DocumentRouting document) {
        double[][] sums = new double[document.numLayers()][document.numExperts()]; // [L][E]
        addLogitSums(sums, document.gateLogits());
        return sums;
    }

    /**
     * Adds the per-layer token sums of a chunk of gate logits [L][t][E] (t may be 0) to
     * {@code sums} [L][E]. Summing every chunk of a document and calling {@link #fromLogitSums}
     * gives the document's vector.
     */
    public static void addLogitSums(double[][] sums, float[][][] chunk) {
        if (chunk == null || chunk.length != sums.length) {
            throw new IllegalArgumentException("gate-logit chunk has " + (chunk == null ? 0 : chunk.length)
                    + " layers, expected " + sums.length);
        }
        for (int layer = 0; layer < sums.length; layer++) {
            double[] total = sums[layer]; // [E]
            float[][] rows = chunk[layer]; // [t][E]
            for (int t = 0; t < rows.length; t++) {
                float[] row = rows[t]; // [E]
                if (row.length != total.length) {
                    throw new IllegalArgumentException("gate-logit chunk: layer " + layer + " token " + t + " has "
                            + row.length + " experts, expected " + total.length);
                }
                for (int e = 0; e < row.length; e++) {
                    if (!Float.isFinite(row[e])) {
                        throw new IllegalArgumentException("gate-logit chunk: layer " + layer + " token " + t
                                + " expert " + e + " is " + row[e]);
                    }
                    total[e] += row[e];
                }
            }
        }
    }

    /** Column names L0E0, L0E1, ..., L{L-1}E{E-1}, matching the layer-major vector order. */
    public static List<String> columnNames(int layers, int experts) {
        if (layers < 1 || experts < 1) {
            throw new IllegalArgumentException("column names need layers >= 1 and experts >= 1, got "
                    + layers + " and " + experts);
        }
        return columnNames(MoeLayers.all(layers), experts);
    }

    /**
     * Column names L{l}E0..L{l}E{E-1} for each real MoE layer l of {@code layers} in order, matching the
     * layer-major vector order; e.g. L1E0.. for a model whose layer 0 is dense.
     */
    public static List<String> columnNames(int[] layers, int experts) {
        if (layers == null || layers.length < 1 || experts < 1) {
            throw new IllegalArgumentException("column names need layers >= 1 and experts >= 1, got "
                    + (layers == null ? 0 : layers.length) + " and " + experts);
        }
        MoeLayers.check(layers, layers.length, "column names: ");
        List<String> names = new ArrayList<>(layers.length * experts);
        for (int layer : layers) {
            for (int e = 0; e < experts; e++) {
                names.add(columnName(layer, e));
            }
        }
        return List.copyOf(names);
    }

    /** The column of expert {@code expert} at real layer {@code layer}: {@code L{layer}E{expert}}. */
    public static String columnName(int layer, int expert) {
        return "L" + layer + "E" + expert;
    }

    /** Reshapes a layer-major vector [M*E] into a matrix [M][E] (row i is the i-th MoE layer), e.g. for a heatmap. */
    public static double[][] toMatrix(double[] vector, int experts) {
        if (experts < 1 || vector.length % experts != 0) {
            throw new IllegalArgumentException("vector of length " + vector.length
                    + " is not a whole number of layers of " + experts + " experts");
        }
        double[][] matrix = new double[vector.length / experts][experts]; // [L][E]
        for (int layer = 0; layer < matrix.length; layer++) {
            System.arraycopy(vector, layer * experts, matrix[layer], 0, experts);
        }
        return matrix;
    }

    /**
     * Builds one document's choice vector from gate logits that arrive in chunks of tokens, so a
     * long document need never be held whole. Feeding all chunks gives the same vector as
     * {@link ExpertChoice#vector(DocumentRouting, Variant, int)} on the whole document (up to
     * the order of double additions). Not thread-safe.
     */
    public static final class Accumulator {
        private final int layers;
        private final int experts;
        private final Variant variant;
        private final int topK;
        /** Logit sums, probability sums or top-k slot counts, by variant. */
        private final double[][] totals; // [L][E]
        private long tokens;

        public Accumulator(int layers, int experts, Variant variant, int topK) {
            if (layers < 1 || experts < 1) {
                throw new IllegalArgumentException("expert choice needs layers >= 1 and experts >= 1, got "
                        + layers + " and " + experts);
            }
            if (variant == null) {
                throw new IllegalArgumentException("expert choice: variant is missing");
            }
            if (topK < 1 || topK > experts) {
                throw new IllegalArgumentException("expert choice: top-k " + topK + " must be between 1 and " + experts);
            }
            this.layers = layers;
            this.experts = experts;
            this.variant = variant;
            this.topK = topK;
            this.totals = new double[layers][experts];
        }

        /** Adds a chunk of gate logits [L][t][E] (raw, pre-softmax, finite); t may be 0. */
        public Accumulator add(float[][][] chunk) {
            if (chunk == null || chunk.length != layers) {
                throw new IllegalArgumentException("gate-logit chunk has " + (chunk == null ? 0 : chunk.length)
                        + " layers, expected " + layers);
            }
            int chunkTokens = chunk[0].length;
            double[] probabilities = new double[experts]; // [E]
            int[] chosen = new int[topK]; // [k]
            for (int layer = 0; layer < layers; layer++) {
                float[][] rows = chunk[layer]; // [t][E]
                if (rows.length != chunkTokens) {
                    throw new IllegalArgumentException("gate-logit chunk: layer " + layer + " has " + rows.length
                            + " tokens, layer 0 has " + chunkTokens);
                }
                double[] total = totals[layer]; // [E]
                for (int t = 0; t < rows.length; t++) {
                    float[] row = rows[t]; // [E]
                    checkRow(row, layer, t);
                    switch (variant) {
                        case LOGIT_SUM_SOFTMAX -> {
                            for (int e = 0; e < experts; e++) {
                                total[e] += row[e];
                            }
                        }
                        case MEAN_PROB -> {
                            TopK.softmax(row, probabilities);
                            for (int e = 0; e < experts; e++) {
                                total[e] += probabilities[e];
                            }
                        }
                        case TOPK_FREQUENCY -> {
                            TopK.softmax(row, probabilities);
                            TopK.indices(probabilities, topK, chosen);
                            for (int expert : chosen) {
                                total[expert] += 1;
                            }
                        }
                    }
                }
            }
            tokens += chunkTokens;
            return this;
        }

        /** Tokens added so far. */
        public long tokens() {
            return tokens;
        }

        /** The choice vector of everything added; [L*E]. Each layer's E entries sum to 1. */
        public double[] vector() {
            if (tokens == 0) {
                throw new IllegalStateException("expert choice: no tokens were added");
            }
            if (variant == Variant.LOGIT_SUM_SOFTMAX) {
                return fromLogitSums(totals);
            }
            double denominator = variant == Variant.MEAN_PROB ? tokens : (double) tokens * topK;
            double[] vector = new double[layers * experts]; // [L*E]
            for (int layer = 0; layer < layers; layer++) {
                for (int e = 0; e < experts; e++) {
                    vector[layer * experts + e] = totals[layer][e] / denominator;
                }
            }
            return vector;
        }

        private void checkRow(float[] row, int layer, int token) {
            if (row.length != experts) {
                throw new IllegalArgumentException("gate-logit chunk: layer " + layer + " token " + token + " has "
                        + row.length + " experts, expected " + experts);
            }
            for (int e = 0; e < experts; e++) {
                if (!Float.isFinite(row[e])) {
                    throw new IllegalArgumentException("gate-logit chunk: layer " + layer + " token " + token
                            + " expert " + e + " is " + row[e]);
                }
            }
        }
    }
}
