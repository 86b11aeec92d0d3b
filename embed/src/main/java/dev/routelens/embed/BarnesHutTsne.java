package dev.routelens.embed;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Barnes-Hut t-SNE (van der Maaten 2014, "Accelerating t-SNE using tree-based algorithms"): O(N log N) per
 * iteration instead of Smile's exact O(N^2).
 *
 * <ul>
 *   <li>Input affinities: exact k nearest neighbours (k = min(N - 1, floor(3 * perplexity))), Gaussian
 *       bandwidths by binary search on the entropy, symmetrised {@code P = (P_j|i + P_i|j) / 2N} kept sparse.</li>
 *   <li>Repulsion: a quadtree (2-D) or octree (3-D) rebuilt each iteration; a cell is summarised by its
 *       centre of mass when its half side / distance is below {@code theta} (the criterion of van der
 *       Maaten's reference bhtsne, whose cells store half widths).</li>
 *   <li>Optimiser as in Smile's exact t-SNE: gradient {@code 4 (F_attr - F_rep / Z)}, early exaggeration 12
 *       for the first 250 iterations, momentum 0.5 then 0.8, per-coordinate gains (+0.2 / x0.8, floor 0.01),
 *       initial layout N(0, 1e-4^2) from the seed.</li>
 * </ul>
 * Work per iteration is split over the common fork-join pool; per-point results are summed in a fixed order,
 * so a seed gives the same coordinates whatever the thread count.
 */
public final class BarnesHutTsne {

    static final int EXAGGERATION_ITERATIONS = 250;
    static final double EXAGGERATION = 12.0;
    static final double INITIAL_MOMENTUM = 0.5;
    static final double FINAL_MOMENTUM = 0.8;
    static final double MIN_GAIN = 0.01;
    static final double INITIAL_SPREAD = 1e-4;
    /** Points per parallel task in the gradient pass. */
    private static final int CHUNK = 256;
    /** Walk groups per parallel task in the repulsion pass. */
    private static final int GROUPS_PER_TASK = 32;

    private BarnesHutTsne() {
    }

    /** Embeds the rows of {@code x} ({@code [N, D]}); the method in {@code config} is ignored. */
    public static Embedding fit(double[][] x, TsneConfig config) {
        long started = System.nanoTime();
        int width = Matrices.requireFiniteMatrix(x, "Barnes-Hut t-SNE input", Tsne.MIN_POINTS);
        int n = x.length;
        int dims = config.dims();
        double perplexity = config.effectivePerplexity(n);
        int k = neighbourCount(n, perplexity);
        Tsne.requireHeap("Barnes-Hut t-SNE", n, bytesNeeded(n, dims, k), Tsne.availableHeapBytes());

        SparseAffinities p = affinities(x, perplexity);
        long affinitiesDone = System.nanoTime();

        double[] y = new double[n * dims];        // [N * dims]
        Random random = new Random(config.seed());
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextGaussian() * INITIAL_SPREAD;
        }
        double[] update = new double[n * dims];   // [N * dims]
        double[] gains = new double[n * dims];    // [N * dims]
        java.util.Arrays.fill(gains, 1.0);
        double[] attraction = new double[n * dims]; // [N * dims]
        double[] repulsion = new double[n * dims];  // [N * dims]
        double[] sumQPerPoint = new double[n];      // [N]
        SpacePartitionTree tree = new SpacePartitionTree(dims, n, 32);
        double thetaSquared = config.theta() * config.theta();
        double eta = config.learningRate();
        int chunks = (n + CHUNK - 1) / CHUNK;

        for (int iter = 0; iter < config.iterations(); iter++) {
            boolean exaggerating = iter < EXAGGERATION_ITERATIONS;
            double exaggeration = exaggerating ? EXAGGERATION : 1.0;
            double momentum = exaggerating ? INITIAL_MOMENTUM : FINAL_MOMENTUM;
            tree.rebuild(y);
            java.util.Arrays.fill(repulsion, 0.0);
            java.util.Arrays.fill(sumQPerPoint, 0.0);
            int groups = tree.groupCount();
            int groupChunks = (groups + GROUPS_PER_TASK - 1) / GROUPS_PER_TASK;
            IntStream.range(0, groupChunks).parallel().forEach(chunk -> {
                int from = chunk * GROUPS_PER_TASK;
                int to = Math.min(groups, from + GROUPS_PER_TASK);
                for (int g = from; g < to; g++) {
                    tree.groupRepulsion(g, thetaSquared, repulsion, sumQPerPoint);
                }
            });
            IntStream.range(0, chunks).parallel().forEach(chunk -> {
                int from = chunk * CHUNK;
                int to = Math.min(n, from + CHUNK);
                for (int i = from; i < to; i++) {
                    attract(i, p, y, dims, attraction);
                }
            });
            double sumQ = 0.0;
            for (int i = 0; i < n; i++) {
                sumQ += sumQPerPoint[i];
            }
            double invSumQ = 1.0 / sumQ;
            for (int c = 0; c < y.length; c++) {
                double gradient = 4.0 * (exaggeration * attraction[c] - repulsion[c] * invSumQ);
                double gain = (Math.signum(gradient) != Math.signum(update[c])) ? gains[c] + 0.2 : gains[c] * 0.8;
                gain = Math.max(gain, MIN_GAIN);
                gains[c] = gain;
                update[c] = momentum * update[c] - eta * gain * gradient;
                y[c] += update[c];
            }
            center(y, n, dims);
        }
        double kl = klDivergence(p, y, dims, tree, thetaSquared);
        long finished = System.nanoTime();

        double[][] coords = new double[n][dims]; // [N, dims]
        for (int i = 0; i < n; i++) {
            System.arraycopy(y, i * dims, coords[i], 0, dims);
        }
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("klDivergence", kl);
        stats.put("perplexity", perplexity);
        stats.put("neighbours", (double) k);
        stats.put("iterations", (double) config.iterations());
        stats.put("theta", config.theta());
        stats.put("inputWidth", (double) width);
        stats.put("affinitySeconds", (affinitiesDone - started) / 1e9);
        stats.put("seconds", (finished - started) / 1e9);
        return new Embedding(coords, "t-SNE (Barnes-Hut, theta " + config.theta() + ")", stats);
    }

    /** Neighbours used per point for {@code n} points at this perplexity. */
    static int neighbourCount(int n, double perplexity) {
        return (int) Math.min(n - 1, Math.max(1, Math.floor(3.0 * perplexity)));
    }

    /** Rough peak heap for N points: neighbour lists, sparse P (built twice as wide), layout state, tree. */
    static long bytesNeeded(int n, int dims, int k) {
        long neighbours = (long) n * k * 12L;
        long affinities = 2L * (long) n * k * 12L * 2L;
        long layout = (long) n * dims * 8L * 6L + (long) n * 8L;
        long tree = 2L * n * (dims * 8L + 24L) + 3L * n * 4L;
        return neighbours + affinities + layout + tree;
    }

    /** Adds {@code sum_j p_ij q_ij (y_i - y_j)} (unnormalised q) for row i into {@code out[i*dims ...]}. */
    private static void attract(int i, SparseAffinities p, double[] y, int dims, double[] out) {
        int[] rowStart = p.rowStart();
        int[] columns = p.columns();
        double[] values = p.values();
        int base = i * dims;
        if (dims == 2) {
            double yx = y[base], yy = y[base + 1];
            double fx = 0.0, fy = 0.0;
            for (int e = rowStart[i], end = rowStart[i + 1]; e < end; e++) {
                int j = columns[e] * 2;
                double dx = yx - y[j], dy = yy - y[j + 1];
                double w = values[e] / (1.0 + dx * dx + dy * dy);
                fx += w * dx;
                fy += w * dy;
            }
            out[base] = fx;
            out[base + 1] = fy;
        } else {
            double yx = y[base], yy = y[base + 1], yz = y[base + 2];
            double fx = 0.0, fy = 0.0, fz = 0.0;
            for (int e = rowStart[i], end = rowStart[i + 1]; e < end; e++) {
                int j = columns[e] * 3;
                double dx = yx - y[j], dy = yy - y[j + 1], dz = yz - y[j + 2];
                double w = values[e] / (1.0 + dx * dx + dy * dy + dz * dz);
                fx += w * dx;
                fy += w * dy;
                fz += w * dz;
            }
            out[base] = fx;
            out[base + 1] = fy;
            out[base + 2] = fz;
        }
    }

    private static void center(double[] y, int n, int dims) {
        for (int d = 0; d < dims; d++) {
            double mean = 0.0;
            for (int i = 0; i < n; i++) {
                mean += y[i * dims + d];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                y[i * dims + d] -= mean;
            }
        }
    }

    /**
     * KL(P || Q) in nats over the non-zero entries of the sparse P, with the normaliser Z from the tree: an
     * estimate of {@link #exactKlDivergence} (within a few per cent) that stays O(N log N).
     */
    private static double klDivergence(SparseAffinities p, double[] y, int dims, SpacePartitionTree tree,
                                       double thetaSquared) {
        int n = p.n();
        tree.rebuild(y);
        double[] scratch = new double[dims];
        double sumQ = 0.0;
        for (int i = 0; i < n; i++) {
            sumQ += tree.repulsion(i, thetaSquared, scratch, 0);
        }
        double kl = 0.0;
        for (int i = 0; i < n; i++) {
            for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
                int j = p.columns()[e];
                double d2 = 0.0;
                for (int d = 0; d < dims; d++) {
                    double diff = y[i * dims + d] - y[j * dims + d];
                    d2 += diff * diff;
                }
                double q = (1.0 / (1.0 + d2)) / sumQ;
                double pij = p.values()[e];
                kl += pij * Math.log(Math.max(pij, 1e-300) / Math.max(q, 1e-300));
            }
        }
        return kl;
    }

    /**
     * Symmetric sparse affinities of the rows of {@code x} ({@code [N, D]}) at {@code perplexity}, from each
     * point's {@link #neighbourCount} exact nearest neighbours.
     */
    static SparseAffinities affinities(double[][] x, double perplexity) {
        int n = x.length;
        int k = neighbourCount(n, perplexity);
        NearestNeighbors knn = NearestNeighbors.exact(x, k);
        double[] conditional = new double[n * k]; // [N * k] P_{j|i}, rows sum to 1
        double target = Math.log(perplexity);
        IntStream.range(0, n).parallel().forEach(i -> gaussianRow(knn.squaredDistances, i * k, k, target, conditional));

        // Row counts of P_cond + P_cond^T before merging duplicates.
        int[] rowCount = new int[n];
        for (int i = 0; i < n; i++) {
            rowCount[i] += k;
            for (int m = 0; m < k; m++) {
                rowCount[knn.indices[i * k + m]]++;
            }
        }
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) {
            start[i + 1] = start[i] + rowCount[i];
        }
        int[] cursor = java.util.Arrays.copyOf(start, n);
        int[] cols = new int[start[n]];       // [2 N k]
        double[] vals = new double[start[n]]; // [2 N k]
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < k; m++) {
                int j = knn.indices[i * k + m];
                double v = conditional[i * k + m];
                cols[cursor[i]] = j;
                vals[cursor[i]++] = v;
                cols[cursor[j]] = i;
                vals[cursor[j]++] = v;
            }
        }
        // Sort each row by column and merge duplicates (i, j) that came from both directions.
        int[] mergedStart = new int[n + 1];
        int[][] rowCols = new int[n][];
        double[][] rowVals = new double[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            int from = start[i];
            int len = start[i + 1] - from;
            long[] packed = new long[len];
            for (int e = 0; e < len; e++) {
                packed[e] = ((long) cols[from + e] << 32) | e;
            }
            java.util.Arrays.sort(packed);
            int[] c = new int[len];
            double[] v = new double[len];
            int size = 0;
            for (int e = 0; e < len; e++) {
                int col = (int) (packed[e] >>> 32);
                double value = vals[from + (int) (packed[e] & 0xffffffffL)];
                if (size > 0 && c[size - 1] == col) {
                    v[size - 1] += value;
                } else {
                    c[size] = col;
                    v[size++] = value;
                }
            }
            rowCols[i] = java.util.Arrays.copyOf(c, size);
            rowVals[i] = java.util.Arrays.copyOf(v, size);
        });
        for (int i = 0; i < n; i++) {
            mergedStart[i + 1] = mergedStart[i] + rowCols[i].length;
        }
        int[] columns = new int[mergedStart[n]];
        double[] values = new double[mergedStart[n]];
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(rowCols[i], 0, columns, mergedStart[i], rowCols[i].length);
            System.arraycopy(rowVals[i], 0, values, mergedStart[i], rowVals[i].length);
            for (double v : rowVals[i]) {
                total += v;
            }
        }
        for (int e = 0; e < values.length; e++) {
            values[e] /= total;
        }
        return new SparseAffinities(mergedStart, columns, values);
    }

    /**
     * Fills {@code out[offset, offset + k)} with {@code P_j|i ∝ exp(-beta d_j)} over the squared distances
     * {@code d[offset, offset + k)}, with beta chosen by bisection so that the entropy (nats) equals
     * {@code targetEntropy} within 1e-5.
     */
    static void gaussianRow(double[] d, int offset, int k, double targetEntropy, double[] out) {
        double nearest = Double.POSITIVE_INFINITY;
        for (int m = 0; m < k; m++) {
            nearest = Math.min(nearest, d[offset + m]);
        }
        double meanShift = 0.0;
        for (int m = 0; m < k; m++) {
            meanShift += d[offset + m] - nearest;
        }
        meanShift /= k;
        double beta = meanShift > 0.0 ? 1.0 / meanShift : 1.0;
        double lower = Double.NEGATIVE_INFINITY;
        double upper = Double.POSITIVE_INFINITY;
        double sum = 0.0;
        for (int attempt = 0; attempt < 200; attempt++) {
            sum = 0.0;
            double weighted = 0.0;
            for (int m = 0; m < k; m++) {
                double shifted = d[offset + m] - nearest;
                double w = Math.exp(-beta * shifted);
                out[offset + m] = w;
                sum += w;
                weighted += shifted * w;
            }
            double entropy = Math.log(sum) + beta * weighted / sum;
            double gap = entropy - targetEntropy;
            if (Math.abs(gap) < 1e-5) {
                break;
            }
            if (gap > 0) { // too flat: sharpen
                lower = beta;
                beta = upper == Double.POSITIVE_INFINITY ? beta * 2.0 : 0.5 * (beta + upper);
            } else {
                upper = beta;
                beta = lower == Double.NEGATIVE_INFINITY ? beta / 2.0 : 0.5 * (beta + lower);
            }
        }
        for (int m = 0; m < k; m++) {
            out[offset + m] /= sum;
        }
    }

    /**
     * Exact {@code KL(P || Q)} in nats of layout {@code y} ({@code [N, dims]}) for the rows of {@code x}
     * ({@code [N, D]}), with dense Gaussian affinities at {@code perplexity} over all other points and
     * Student-t {@code Q}: the objective both t-SNE methods minimise, so their values compare. O(N^2) time,
     * one N x N matrix.
     */
    static double exactKlDivergence(double[][] x, double[][] y, double perplexity) {
        int n = x.length;
        double[][] conditional = new double[n][]; // [N, N] P_j|i with P_i|i = 0
        double target = Math.log(perplexity);
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] d = new double[n - 1];
            for (int j = 0, m = 0; j < n; j++) {
                if (j != i) {
                    d[m++] = Matrices.squaredDistance(x[i], x[j]);
                }
            }
            double[] row = new double[n - 1];
            gaussianRow(d, 0, n - 1, target, row);
            double[] full = new double[n];
            for (int j = 0, m = 0; j < n; j++) {
                if (j != i) {
                    full[j] = row[m++];
                }
            }
            conditional[i] = full;
        });
        double[] zRows = new double[n];
        double[] klRows = new double[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            double z = 0.0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    z += 1.0 / (1.0 + Matrices.squaredDistance(y[i], y[j]));
                }
            }
            zRows[i] = z;
        });
        double z = 0.0;
        for (double v : zRows) {
            z += v;
        }
        double zTotal = z;
        IntStream.range(0, n).parallel().forEach(i -> {
            double kl = 0.0;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double p = (conditional[i][j] + conditional[j][i]) / (2.0 * n);
                if (p > 0.0) {
                    double q = 1.0 / (1.0 + Matrices.squaredDistance(y[i], y[j])) / zTotal;
                    kl += p * Math.log(p / q);
                }
            }
            klRows[i] = kl;
        });
        double kl = 0.0;
        for (double v : klRows) {
            kl += v;
        }
        return kl;
    }
}
