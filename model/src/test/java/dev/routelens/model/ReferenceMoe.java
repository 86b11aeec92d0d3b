package dev.routelens.model;

import java.io.IOException;

/**
 * An independent float64 forward pass of HF's Mixtral, in plain Java, one document at a time.
 * Written from the HF semantics, not from the DJL model: loops, no packing, no fusing.
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
                n[p] = rms(x[p], L.inNorm);
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
                double[] n2 = rms(x[p], L.postNorm);
                double[] g = matvec(L.gate, n2);
                gates[l][p] = g;
                double[] prob = softmax(g);
                int[] chosen = topK(prob, c.topK());
                double total = 0;
                for (int e : chosen) {
                    total += prob[e];
                }
                topk[l][p] = chosen;
                topw[l][p] = new double[chosen.length];
                double[] out = new double[h];
                for (int r = 0; r < chosen.length; r++) {
                    int e = chosen[r];
                    double weight = prob[e] / total;
                    topw[l][p][r] = weight;
                    double[] a = matvec(L.w1[e], n2);
                    double[] b = matvec(L.w3[e], n2);
                    double[] act = new double[a.length];
                    for (int i = 0; i < a.length; i++) {
                        act[i] = a[i] / (1 + Math.exp(-a[i])) * b[i];
                    }
                    double[] y = matvec(L.w2[e], act);
                    for (int d = 0; d < h; d++) {
                        out[d] += weight * y[d];
                    }
                }
                for (int d = 0; d < h; d++) {
                    x[p][d] += out[d];
                }
            }
        }
        double nll = 0;
        for (int p = 0; p + 1 < t; p++) {
            double[] logits = matvec(head, rms(x[p], finalNorm));
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (double v : logits) {
                z += Math.exp(v - max);
            }
            nll -= logits[ids[p + 1]] - max - Math.log(z);
        }
        return new Output(gates, topk, topw, t > 1 ? nll / (t - 1) : Double.NaN, nll);
    }

    private double[][] attention(double[][] n, Layer L) {
        int t = n.length;
        int heads = c.numHeads();
        int dim = c.headDim();
        int groups = c.numHeads() / c.numKvHeads();
        double[][] q = new double[t][];
        double[][] k = new double[t][];
        double[][] v = new double[t][];
        for (int p = 0; p < t; p++) {
            q[p] = rope(matvec(L.wq, n[p]), p, heads);
            k[p] = rope(matvec(L.wk, n[p]), p, c.numKvHeads());
            v[p] = matvec(L.wv, n[p]);
        }
        double[][] ctx = new double[t][heads * dim];
        for (int hd = 0; hd < heads; hd++) {
            int kvh = hd / groups;
            for (int p = 0; p < t; p++) {
                double[] s = new double[p + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= p; j++) {
                    double dot = 0;
                    for (int d = 0; d < dim; d++) {
                        dot += q[p][hd * dim + d] * k[j][kvh * dim + d];
                    }
                    s[j] = dot / Math.sqrt(dim);
                    max = Math.max(max, s[j]);
                }
                double z = 0;
                for (int j = 0; j <= p; j++) {
                    s[j] = Math.exp(s[j] - max);
                    z += s[j];
                }
                for (int j = 0; j <= p; j++) {
                    for (int d = 0; d < dim; d++) {
                        ctx[p][hd * dim + d] += s[j] / z * v[j][kvh * dim + d];
                    }
                }
            }
        }
        double[][] out = new double[t][];
        for (int p = 0; p < t; p++) {
            out[p] = matvec(L.wo, ctx[p]);
        }
        return out;
    }

    /** Rotate-half RoPE: dimension i pairs with i + D/2, angle p * theta^(-2i/D). */
    private double[] rope(double[] x, int pos, int heads) {
        int dim = c.headDim();
        int half = dim / 2;
        double[] out = x.clone();
        for (int hd = 0; hd < heads; hd++) {
            for (int i = 0; i < half; i++) {
                double angle = pos * Math.pow(c.ropeTheta(), -2.0 * i / dim);
                double a = x[hd * dim + i];
                double b = x[hd * dim + i + half];
                out[hd * dim + i] = a * Math.cos(angle) - b * Math.sin(angle);
                out[hd * dim + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
            }
        }
        return out;
    }

    private double[] rms(double[] x, double[] w) {
        double ms = 0;
        for (double v : x) {
            ms += v * v;
        }
        double inv = 1 / Math.sqrt(ms / x.length + c.rmsNormEps());
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = w[i] * x[i] * inv;
        }
        return out;
    }

    static double[] softmax(double[] g) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : g) {
            max = Math.max(max, v);
        }
        double z = 0;
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = Math.exp(g[i] - max);
            z += out[i];
        }
        for (int i = 0; i < g.length; i++) {
            out[i] /= z;
        }
        return out;
    }

    static int[] topK(double[] p, int k) {
        int[] out = new int[k];
        boolean[] used = new boolean[p.length];
        for (int r = 0; r < k; r++) {
            int best = -1;
            for (int i = 0; i < p.length; i++) {
                if (!used[i] && (best < 0 || p[i] > p[best])) {
                    best = i;
                }
            }
            used[best] = true;
            out[r] = best;
        }
        return out;
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
