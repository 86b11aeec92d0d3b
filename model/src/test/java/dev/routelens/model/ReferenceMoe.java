package dev.routelens.model;

import java.io.IOException;

/**
 * An independent float64 forward pass of HF's Mixtral, in plain Java, one document at a time.
 * Written from the HF semantics, not from the DJL model: loops, no packing, no fusing. Holds every
 * weight as double[][], so it suits small models; {@link LazyReferenceMoe} reads them as it goes.
 */
final class ReferenceMoe {
    /** Per-layer raw gate logits [L][T][E], top-k experts [L][T][k], and the mean next-token NLL. */
    record Output(double[][][] gateLogits, int[][][] topk, double[][][] topkWeights, double meanNll, double nllSum) {
    }

    private final MoeConfig c;
    private final double[][] embed;      // [V][H]
    private final double[][] head;       // [V][H]
    private final double[] finalNorm;    // [H]
    private final Layer[] layers;

    private record Layer(double[] inNorm, double[][] wq, double[][] wk, double[][] wv, double[][] wo, double[] postNorm,
                         double[][] gate, double[][][] w1, double[][][] w3, double[][][] w2) {
    }

    ReferenceMoe(MoeConfig c, WeightSource w) throws IOException {
        this.c = c;
        int h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        int f = c.intermediateSize();
        embed = matrix(w.read("model.embed_tokens.weight", c.vocabSize(), h), c.vocabSize(), h);
        head = c.tieWordEmbeddings() ? embed : matrix(w.read("lm_head.weight", c.vocabSize(), h), c.vocabSize(), h);
        finalNorm = vector(w.read("model.norm.weight", h));
        layers = new Layer[c.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "model.layers." + i + ".";
            double[][][] w1 = new double[c.numExperts()][][];
            double[][][] w3 = new double[c.numExperts()][][];
            double[][][] w2 = new double[c.numExperts()][][];
            for (int j = 0; j < c.numExperts(); j++) {
                String e = p + "block_sparse_moe.experts." + j + ".";
                w1[j] = matrix(w.read(e + "w1.weight", f, h), f, h);
                w3[j] = matrix(w.read(e + "w3.weight", f, h), f, h);
                w2[j] = matrix(w.read(e + "w2.weight", h, f), h, f);
            }
            layers[i] = new Layer(
                    vector(w.read(p + "input_layernorm.weight", h)),
                    matrix(w.read(p + "self_attn.q_proj.weight", q, h), q, h),
                    matrix(w.read(p + "self_attn.k_proj.weight", kv, h), kv, h),
                    matrix(w.read(p + "self_attn.v_proj.weight", kv, h), kv, h),
                    matrix(w.read(p + "self_attn.o_proj.weight", h, q), h, q),
                    vector(w.read(p + "post_attention_layernorm.weight", h)),
                    matrix(w.read(p + "block_sparse_moe.gate.weight", c.numExperts(), h), c.numExperts(), h),
                    w1, w3, w2);
        }
    }

    Output run(int[] ids) {
        int t = ids.length;
        int h = c.hiddenSize();
        double[][] x = new double[t][];
        for (int p = 0; p < t; p++) {
            x[p] = embed[ids[p]].clone();
        }
        double[][][] gates = new double[c.numLayers()][][];
        int[][][] topk = new int[c.numLayers()][][];
        double[][][] topw = new double[c.numLayers()][][];
        for (int l = 0; l < layers.length; l++) {
            Layer L = layers[l];
            double[][] n = new double[t][];
            for (int p = 0; p < t; p++) {
                n[p] = ReferenceMath.rms(x[p], L.inNorm, c.rmsNormEps());
            }
            double[][] attn = attention(n, L);
            for (int p = 0; p < t; p++) {
                for (int d = 0; d < h; d++) {
                    x[p][d] += attn[p][d];
                }
            }
            gates[l] = new double[t][];
            topk[l] = new int[t][];
            topw[l] = new double[t][];
            for (int p = 0; p < t; p++) {
                double[] n2 = ReferenceMath.rms(x[p], L.postNorm, c.rmsNormEps());
                double[] g = matvec(L.gate, n2);
                gates[l][p] = g;
                ReferenceMath.Route route = ReferenceMath.route(g, c.topK());
                topk[l][p] = route.experts();
                topw[l][p] = route.weights();
                double[] out = new double[h];
                for (int r = 0; r < route.experts().length; r++) {
                    int e = route.experts()[r];
                    double[] act = ReferenceMath.swiglu(matvec(L.w1[e], n2), matvec(L.w3[e], n2));
                    double[] y = matvec(L.w2[e], act);
                    for (int d = 0; d < h; d++) {
                        out[d] += route.weights()[r] * y[d];
                    }
                }
                for (int d = 0; d < h; d++) {
                    x[p][d] += out[d];
                }
            }
        }
        double nll = 0;
        for (int p = 0; p + 1 < t; p++) {
            nll += ReferenceMath.nll(matvec(head, ReferenceMath.rms(x[p], finalNorm, c.rmsNormEps())), ids[p + 1]);
        }
        return new Output(gates, topk, topw, t > 1 ? nll / (t - 1) : Double.NaN, nll);
    }

    private double[][] attention(double[][] n, Layer L) {
        int t = n.length;
        double[][] q = new double[t][];
        double[][] k = new double[t][];
        double[][] v = new double[t][];
        for (int p = 0; p < t; p++) {
            q[p] = rope(matvec(L.wq, n[p]), p, c.numHeads());
            k[p] = rope(matvec(L.wk, n[p]), p, c.numKvHeads());
            v[p] = matvec(L.wv, n[p]);
        }
        double[][] ctx = ReferenceMath.causalAttention(q, k, v, c.numHeads(), c.numKvHeads(), c.headDim());
        double[][] out = new double[t][];
        for (int p = 0; p < t; p++) {
            out[p] = matvec(L.wo, ctx[p]);
        }
        return out;
    }

    /** Rotate-half RoPE with the angle p * theta^(-2i/D) computed in double. */
    private double[] rope(double[] x, int pos, int heads) {
        int dim = c.headDim();
        double[] cos = new double[dim / 2];
        double[] sin = new double[dim / 2];
        for (int i = 0; i < dim / 2; i++) {
            double angle = pos * Math.pow(c.ropeTheta(), -2.0 * i / dim);
            cos[i] = Math.cos(angle);
            sin[i] = Math.sin(angle);
        }
        return ReferenceMath.rotateHalf(x, heads, dim, cos, sin);
    }

    private static double[] matvec(double[][] m, double[] x) {
        double[] out = new double[m.length];
        for (int r = 0; r < m.length; r++) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += m[r][i] * x[i];
            }
            out[r] = s;
        }
        return out;
    }

    private static double[][] matrix(float[] data, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                m[r][k] = data[r * cols + k];
            }
        }
        return m;
    }

    private static double[] vector(float[] data) {
        double[] v = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            v[i] = data[i];
        }
        return v;
    }
}
