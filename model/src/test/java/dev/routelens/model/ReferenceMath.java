package dev.routelens.model;

/**
 * The small float64 steps of HF's Mixtral that both references share, written from the HF semantics:
 * RMSNorm, rotate-half RoPE, causal attention, routing, SwiGLU and the next-token NLL. Letters: T tokens,
 * H hidden, D head width, E experts, V vocabulary.
 */
final class ReferenceMath {
    private ReferenceMath() {
    }

    /** The k experts a token goes to, best first, and their softmax weights renormalised to sum to 1. */
    record Route(int[] experts, double[] weights) {
    }

    /** w * x / sqrt(mean(x^2) + eps). x [H], w [H] -> [H] */
    static double[] rms(double[] x, double[] w, double eps) {
        double ms = 0;
        for (double v : x) {
            ms += v * v;
        }
        double inv = 1 / Math.sqrt(ms / x.length + eps);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = w[i] * x[i] * inv;
        }
        return out;
    }

    /**
     * Rotate-half RoPE at one position: in each head, dimension i pairs with i + D/2 and turns by the
     * angle whose cosine and sine are {@code cos[i]}, {@code sin[i]}. x [heads * D], cos/sin [D/2] -> [heads * D]
     */
    static double[] rotateHalf(double[] x, int heads, int dim, double[] cos, double[] sin) {
        int half = dim / 2;
        double[] out = x.clone();
        for (int hd = 0; hd < heads; hd++) {
            for (int i = 0; i < half; i++) {
                double a = x[hd * dim + i];
                double b = x[hd * dim + i + half];
                out[hd * dim + i] = a * cos[i] - b * sin[i];
                out[hd * dim + i + half] = b * cos[i] + a * sin[i];
            }
        }
        return out;
    }

    /**
     * Causal softmax(q k^T / sqrt(D)) v per head; query head h reads KV head h / (heads / kvHeads).
     * q [T][heads * D], k and v [T][kvHeads * D] -> [T][heads * D]
     */
    static double[][] causalAttention(double[][] q, double[][] k, double[][] v, int heads, int kvHeads, int dim) {
        int t = q.length;
        int groups = heads / kvHeads;
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
        return ctx;
    }

    /** Softmax over the raw gate logits, top-k, and the k probabilities renormalised. logits [E] */
    static Route route(double[] logits, int k) {
        double[] prob = softmax(logits);
        int[] chosen = topK(prob, k);
        double total = 0;
        for (int e : chosen) {
            total += prob[e];
        }
        double[] weights = new double[k];
        for (int r = 0; r < k; r++) {
            weights[r] = prob[chosen[r]] / total;
        }
        return new Route(chosen, weights);
    }

    /** silu(a) * b, elementwise. a, b [F] -> [F] */
    static double[] swiglu(double[] a, double[] b) {
        double[] act = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            act[i] = a[i] / (1 + Math.exp(-a[i])) * b[i];
        }
        return act;
    }

    /** -log softmax(logits)[target]. logits [V] */
    static double nll(double[] logits, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (double v : logits) {
            z += Math.exp(v - max);
        }
        return -(logits[target] - max - Math.log(z));
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

    /** Indices of the k largest values, largest first; ties go to the lower index. */
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
}
