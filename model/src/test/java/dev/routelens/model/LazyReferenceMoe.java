package dev.routelens.model;

import dev.routelens.model.checkpoint.MixtralNames;
import java.io.IOException;
import java.util.stream.IntStream;

/**
 * The float64 reference for models too wide to hold (SciDFM's one layer is ~704M values): it reads each
 * weight matrix from its {@link WeightSource} when the step that uses it runs, applies it to every
 * token of the document and drops it, so memory holds one matrix, or one expert's three, at a time,
 * as float32, while all arithmetic is in double. Written from HF's Mixtral semantics with the steps of
 * {@link ReferenceMath}, not from the DJL model. RoPE's tables come from {@link RotaryEmbedding#tables}:
 * inv_freq and the angles in float32, as HF computes them.
 *
 * <p>Letters: T tokens, H hidden, D head width, q = heads x D, kv = KV heads x D, F expert width,
 * E experts, V vocabulary.
 */
final class LazyReferenceMoe {
    private final MoeConfig c;
    private final WeightSource weights;
    private final float[] cos; // [P * D]
    private final float[] sin; // [P * D]

    /** One weight matrix as read, row-major float32. values [rows * cols] */
    private record Matrix(float[] values, int rows, int cols) {
        /** Every row of {@code xs} times this matrix transposed, in double. xs [T][cols] -> [T][rows] */
        double[][] apply(double[][] xs) {
            double[][] out = new double[xs.length][rows];
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                for (int p = 0; p < xs.length; p++) {
                    double[] x = xs[p];
                    double s = 0;
                    for (int i = 0; i < cols; i++) {
                        s += values[base + i] * x[i];
                    }
                    out[p][r] = s;
                }
            }
            return out;
        }
    }

    LazyReferenceMoe(MoeConfig c, WeightSource weights) {
        this.c = c;
        this.weights = weights;
        float[][] tables = RotaryEmbedding.tables(c.headDim(), c.maxPositions(), c.ropeTheta());
        this.cos = tables[0];
        this.sin = tables[1];
    }

    /** Gate logits, top-k and NLL of one document, as {@link ReferenceMoe#run} gives them. */
    ReferenceMoe.Output run(int[] ids) throws IOException {
        int t = ids.length;
        int layers = c.numLayers();
        double[][] x = embed(ids);                          // [T][H], the residual stream
        double[][][] gates = new double[layers][][];        // [L][T][E]
        int[][][] topk = new int[layers][t][];              // [L][T][k]
        double[][][] topWeights = new double[layers][t][];  // [L][T][k]
        for (int l = 0; l < layers; l++) {
            add(x, attention(l, norm(x, MixtralNames.inputLayernorm(l))));
            double[][] n = norm(x, MixtralNames.postAttentionLayernorm(l));        // [T][H]
            gates[l] = matrix(MixtralNames.gate(l), c.numExperts(), c.hiddenSize()).apply(n);
            ReferenceMath.Route[] routes = new ReferenceMath.Route[t];
            for (int p = 0; p < t; p++) {
                routes[p] = ReferenceMath.route(gates[l][p], c.topK());
                topk[l][p] = routes[p].experts();
                topWeights[l][p] = routes[p].weights();
            }
            add(x, experts(l, n, routes));
        }
        double[][] n = norm(x, MixtralNames.finalNorm());
        Matrix head = matrix(c.tieWordEmbeddings() ? MixtralNames.embedTokens() : MixtralNames.lmHead(),
                c.vocabSize(), c.hiddenSize());
        double[][] logits = head.apply(n);                                          // [T][V]
        double nll = 0;
        for (int p = 0; p + 1 < t; p++) {
            nll += ReferenceMath.nll(logits[p], ids[p + 1]);
        }
        return new ReferenceMoe.Output(gates, topk, topWeights, t > 1 ? nll / (t - 1) : Double.NaN, nll);
    }

    /** The embedding rows of {@code ids}. -> [T][H] */
    private double[][] embed(int[] ids) throws IOException {
        int h = c.hiddenSize();
        float[] table = weights.read(MixtralNames.embedTokens(), c.vocabSize(), h); // [V * H]
        double[][] x = new double[ids.length][h];
        for (int p = 0; p < ids.length; p++) {
            for (int d = 0; d < h; d++) {
                x[p][d] = table[ids[p] * h + d];
            }
        }
        return x;
    }

    /** Causal self-attention of layer l on the normed stream, projections read one at a time. n [T][H] -> [T][H] */
    private double[][] attention(int l, double[][] n) throws IOException {
        int h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        double[][] queries = rope(matrix(MixtralNames.qProj(l), q, h).apply(n), c.numHeads()); // [T][q]
        double[][] keys = rope(matrix(MixtralNames.kProj(l), kv, h).apply(n), c.numKvHeads()); // [T][kv]
        double[][] values = matrix(MixtralNames.vProj(l), kv, h).apply(n);                      // [T][kv]
        double[][] ctx = ReferenceMath.causalAttention(queries, keys, values, c.numHeads(), c.numKvHeads(),
                c.headDim());                                                                   // [T][q]
        return matrix(MixtralNames.oProj(l), h, q).apply(ctx);
    }

    /**
     * The routed mixture of layer l: each expert that some token chose is read once (w1, w3, w2) and
     * applied to those tokens, weighted by their renormalised routing weight. n [T][H] -> [T][H]
     */
    private double[][] experts(int l, double[][] n, ReferenceMath.Route[] routes) throws IOException {
        int h = c.hiddenSize();
        int f = c.intermediateSize();
        double[][] out = new double[n.length][h];
        for (int e = 0; e < c.numExperts(); e++) {
            int[] tokens = tokensOf(e, routes);
            if (tokens.length == 0) {
                continue;
            }
            double[][] xs = new double[tokens.length][];
            for (int i = 0; i < tokens.length; i++) {
                xs[i] = n[tokens[i]];
            }
            double[][] gate = matrix(MixtralNames.expertW1(l, e), f, h).apply(xs);   // [t_e][F]
            double[][] up = matrix(MixtralNames.expertW3(l, e), f, h).apply(xs);     // [t_e][F]
            double[][] act = new double[tokens.length][];
            for (int i = 0; i < tokens.length; i++) {
                act[i] = ReferenceMath.swiglu(gate[i], up[i]);
            }
            double[][] y = matrix(MixtralNames.expertW2(l, e), h, f).apply(act);     // [t_e][H]
            for (int i = 0; i < tokens.length; i++) {
                ReferenceMath.Route route = routes[tokens[i]];
                double weight = route.weights()[rank(e, route)];
                for (int d = 0; d < h; d++) {
                    out[tokens[i]][d] += weight * y[i][d];
                }
            }
        }
        return out;
    }

    /** The tokens whose route chose {@code expert}, in order. */
    private static int[] tokensOf(int expert, ReferenceMath.Route[] routes) {
        return IntStream.range(0, routes.length).filter(p -> rank(expert, routes[p]) >= 0).toArray();
    }

    /** Where {@code expert} stands among {@code route}'s choices; -1 when it was not chosen. */
    private static int rank(int expert, ReferenceMath.Route route) {
        for (int r = 0; r < route.experts().length; r++) {
            if (route.experts()[r] == expert) {
                return r;
            }
        }
        return -1;
    }

    /** RMSNorm of every token with the weight {@code name}. x [T][H] -> [T][H] */
    private double[][] norm(double[][] x, String name) throws IOException {
        float[] w = weights.read(name, c.hiddenSize());
        double[] wd = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            wd[i] = w[i];
        }
        double[][] out = new double[x.length][];
        for (int p = 0; p < x.length; p++) {
            out[p] = ReferenceMath.rms(x[p], wd, c.rmsNormEps());
        }
        return out;
    }

    /** Rotate-half RoPE of each token at its position p, from the float32 tables. xs [T][heads * D] */
    private double[][] rope(double[][] xs, int heads) {
        int dim = c.headDim();
        double[][] out = new double[xs.length][];
        for (int p = 0; p < xs.length; p++) {
            double[] cosP = new double[dim / 2];
            double[] sinP = new double[dim / 2];
            for (int i = 0; i < dim / 2; i++) {
                cosP[i] = cos[p * dim + i];
                sinP[i] = sin[p * dim + i];
            }
            out[p] = ReferenceMath.rotateHalf(xs[p], heads, dim, cosP, sinP);
        }
        return out;
    }

    private Matrix matrix(String name, int rows, int cols) throws IOException {
        return new Matrix(weights.read(name, rows, cols), rows, cols);
    }

    private static void add(double[][] x, double[][] delta) {
        for (int p = 0; p < x.length; p++) {
            for (int d = 0; d < x[p].length; d++) {
                x[p][d] += delta[p][d];
            }
        }
    }
}
