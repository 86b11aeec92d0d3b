package dev.routelens.embed;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Exact k-nearest-neighbour search: blocked brute force with bucket pruning.
 *
 * <p>Points are grouped into about sqrt(N / 2) buckets by a few seeded Lloyd (k-means) steps. Each bucket
 * of queries visits candidate buckets nearest first, and skips a candidate bucket for every query whose
 * triangle-inequality bound {@code |q - centroid| - radius} already exceeds its current k-th distance; the
 * surviving query x candidate blocks are computed with a register-tiled kernel through the Gram identity
 * {@code |a-b|^2 = |a|^2 + |b|^2 - 2 a.b}. The squared distances returned for the chosen neighbours are
 * recomputed directly. Ties are broken by the lower row index (up to rounding of near-equal distances). A
 * point is never its own neighbour. Parallel over query buckets; the result does not depend on the thread
 * count.
 *
 * <p>Hand-written because no library kNN served (issue 17, measured on a 2-core machine, k = 90, 208-d
 * points in 10 blobs): Smile 3.1.1's brute-force {@code LinearSearch} under the same squared distance
 * returns identical neighbours and distances, but took 2.48 s against 0.40 s here at 5,000 points (medians
 * of 5, side by side) and 85 s against 2.9 s at 20,000 points (one run each). That would turn the
 * 20,000-point Barnes-Hut t-SNE of PERFORMANCE.md (20 s, target under 60 s) into about 100 s. Smile's
 * {@code KDTree} admits a point only when it is strictly nearer than the current k-th, in tree order, so
 * equal-distance ties would go by the tree's shape rather than the lower index.
 */
final class NearestNeighbors {

    private static final int LLOYD_STEPS = 3;
    private static final long BUCKET_SEED = 0x5eed_b0c5L;

    /** Neighbour indices, {@code [N * k]}, row-major, nearest first. */
    final int[] indices;
    /** Squared Euclidean distances matching {@link #indices}, {@code [N * k]}. */
    final double[] squaredDistances;
    final int k;

    private NearestNeighbors(int[] indices, double[] squaredDistances, int k) {
        this.indices = indices;
        this.squaredDistances = squaredDistances;
        this.k = k;
    }

    /** The {@code k} nearest neighbours of every row of {@code x} ({@code [N, D]}), {@code 1 <= k < N}. */
    static NearestNeighbors exact(double[][] x, int k) {
        int n = x.length;
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException("k-nearest neighbours: k must be in [1, " + (n - 1) + "], got " + k);
        }
        int width = x[0].length;
        double[] norms = new double[n]; // [N] squared norms
        double maxNorm = 0.0;
        for (int i = 0; i < n; i++) {
            norms[i] = dot(x[i], x[i], width);
            maxNorm = Math.max(maxNorm, norms[i]);
        }
        // Rounding slack of the Gram identity, so that pruning never drops a true neighbour.
        double slack = 1e-9 * (maxNorm + 1e-300);

        Buckets buckets = Buckets.of(x, Math.max(1, (int) Math.round(Math.sqrt(n / 2.0))));
        int m = buckets.count();
        int[] indices = new int[n * k];          // [N * k]
        double[] distances = new double[n * k];  // [N * k]
        IntStream.range(0, m).parallel().forEach(b -> searchBucket(x, norms, k, slack, buckets, b, indices, distances));
        return new NearestNeighbors(indices, distances, k);
    }

    /** Points grouped by nearest centroid. */
    private record Buckets(double[][] centroids, int[] start, int[] members, double[] radius) {

        int count() {
            return centroids.length;
        }

        static Buckets of(double[][] x, int wanted) {
            int n = x.length;
            int width = x[0].length;
            int m = Math.min(wanted, n);
            // Seeded distinct rows as initial centroids.
            int[] picks = new Random(BUCKET_SEED).ints(0, n).distinct().limit(m).toArray();
            double[][] centroids = new double[m][]; // [m, D]
            for (int c = 0; c < m; c++) {
                centroids[c] = x[picks[c]].clone();
            }
            int[] assignment = new int[n];
            double[] distance = new double[n];
            for (int step = 0; ; step++) {
                double[][] current = centroids;
                IntStream.range(0, n).parallel().forEach(i -> {
                    int best = 0;
                    double bestD = Double.POSITIVE_INFINITY;
                    for (int c = 0; c < current.length; c++) {
                        double d = Matrices.squaredDistance(x[i], current[c]);
                        if (d < bestD) {
                            bestD = d;
                            best = c;
                        }
                    }
                    assignment[i] = best;
                    distance[i] = Math.sqrt(bestD);
                });
                if (step == LLOYD_STEPS) {
                    break;
                }
                double[][] sums = new double[m][width];
                int[] sizes = new int[m];
                for (int i = 0; i < n; i++) {
                    sizes[assignment[i]]++;
                    double[] sum = sums[assignment[i]];
                    for (int d = 0; d < width; d++) {
                        sum[d] += x[i][d];
                    }
                }
                for (int c = 0; c < m; c++) {
                    if (sizes[c] > 0) {
                        for (int d = 0; d < width; d++) {
                            sums[c][d] /= sizes[c];
                        }
                    } else {
                        sums[c] = centroids[c]; // empty bucket keeps its centroid
                    }
                }
                centroids = sums;
            }
            int[] start = new int[m + 1];
            for (int i = 0; i < n; i++) {
                start[assignment[i] + 1]++;
            }
            for (int c = 0; c < m; c++) {
                start[c + 1] += start[c];
            }
            int[] cursor = Arrays.copyOf(start, m);
            int[] members = new int[n];
            double[] radius = new double[m];
            for (int i = 0; i < n; i++) {
                int c = assignment[i];
                members[cursor[c]++] = i;
                radius[c] = Math.max(radius[c], distance[i]);
            }
            return new Buckets(centroids, start, members, radius);
        }
    }

    private static void searchBucket(double[][] x, double[] norms, int k, double slack, Buckets buckets, int bucket,
                                     int[] outIndices, double[] outDistances) {
        int from = buckets.start()[bucket];
        int rows = buckets.start()[bucket + 1] - from;
        if (rows == 0) {
            return;
        }
        int m = buckets.count();
        int width = x[0].length;
        int[] queries = Arrays.copyOfRange(buckets.members(), from, from + rows);
        // Query-to-centroid distances, [rows, m].
        double[][] toCentroid = new double[rows][m];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < m; c++) {
                toCentroid[r][c] = Math.sqrt(Matrices.squaredDistance(x[queries[r]], buckets.centroids()[c]));
            }
        }
        // Candidate buckets, nearest centroid first.
        double[] centroidGap = new double[m];
        Integer[] candidates = new Integer[m];
        for (int c = 0; c < m; c++) {
            candidates[c] = c;
            centroidGap[c] = Matrices.squaredDistance(buckets.centroids()[bucket], buckets.centroids()[c]);
        }
        Arrays.sort(candidates, (a, b) -> {
            int cmp = Double.compare(centroidGap[a], centroidGap[b]);
            return cmp != 0 ? cmp : Integer.compare(a, b);
        });

        double[] heapDist = new double[rows * k]; // [rows * k] max-heaps by (distance, index)
        int[] heapIdx = new int[rows * k];
        int[] heapSize = new int[rows];
        double[] dots = new double[8];
        int[] active = new int[rows];
        for (int candidate : candidates) {
            int cFrom = buckets.start()[candidate];
            int cTo = buckets.start()[candidate + 1];
            if (cFrom == cTo) {
                continue;
            }
            double radius = buckets.radius()[candidate];
            int activeCount = 0;
            for (int r = 0; r < rows; r++) {
                if (heapSize[r] < k) {
                    active[activeCount++] = r;
                    continue;
                }
                double bound = toCentroid[r][candidate] - radius;
                if (bound <= 0.0 || bound * bound <= heapDist[r * k] + slack) {
                    active[activeCount++] = r;
                }
            }
            if (activeCount == 0) {
                continue;
            }
            int[] members = buckets.members();
            int a = 0;
            for (; a + 3 < activeCount; a += 4) {
                int r0 = active[a], r1 = active[a + 1], r2 = active[a + 2], r3 = active[a + 3];
                double[] a0 = x[queries[r0]], a1 = x[queries[r1]], a2 = x[queries[r2]], a3 = x[queries[r3]];
                int p = cFrom;
                for (; p + 1 < cTo; p += 2) {
                    int j0 = members[p], j1 = members[p + 1];
                    dot4x2(a0, a1, a2, a3, x[j0], x[j1], width, dots);
                    for (int t = 0; t < 4; t++) {
                        int r = active[a + t];
                        int q = queries[r];
                        offer(r, q, j0, norms[q] + norms[j0] - 2.0 * dots[t], k, heapDist, heapIdx, heapSize);
                        offer(r, q, j1, norms[q] + norms[j1] - 2.0 * dots[4 + t], k, heapDist, heapIdx, heapSize);
                    }
                }
                for (; p < cTo; p++) {
                    int j = members[p];
                    for (int t = 0; t < 4; t++) {
                        int r = active[a + t];
                        int q = queries[r];
                        offer(r, q, j, norms[q] + norms[j] - 2.0 * dot(x[q], x[j], width), k, heapDist, heapIdx, heapSize);
                    }
                }
            }
            for (; a < activeCount; a++) {
                int r = active[a];
                int q = queries[r];
                for (int p = cFrom; p < cTo; p++) {
                    int j = members[p];
                    offer(r, q, j, norms[q] + norms[j] - 2.0 * dot(x[q], x[j], width), k, heapDist, heapIdx, heapSize);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            int row = queries[r];
            int base = r * k;
            // Exact distances for the survivors, then sort by (distance, index).
            double[] exactDist = new double[k];
            Integer[] perm = new Integer[k];
            for (int t = 0; t < k; t++) {
                exactDist[t] = Matrices.squaredDistance(x[row], x[heapIdx[base + t]]);
                perm[t] = t;
            }
            Arrays.sort(perm, (p, q) -> {
                int c = Double.compare(exactDist[p], exactDist[q]);
                return c != 0 ? c : Integer.compare(heapIdx[base + p], heapIdx[base + q]);
            });
            for (int t = 0; t < k; t++) {
                outIndices[row * k + t] = heapIdx[base + perm[t]];
                outDistances[row * k + t] = exactDist[perm[t]];
            }
        }
    }

    /** Keeps the k smallest (distance, index) pairs of local row {@code r} (point {@code self}) in a max-heap. */
    private static void offer(int r, int self, int candidate, double d, int k,
                              double[] heapDist, int[] heapIdx, int[] heapSize) {
        if (candidate == self) {
            return;
        }
        int base = r * k;
        int size = heapSize[r];
        if (size < k) {
            int pos = size;
            heapSize[r] = size + 1;
            while (pos > 0) {
                int parent = (pos - 1) >>> 1;
                if (!worse(d, candidate, heapDist[base + parent], heapIdx[base + parent])) {
                    break;
                }
                heapDist[base + pos] = heapDist[base + parent];
                heapIdx[base + pos] = heapIdx[base + parent];
                pos = parent;
            }
            heapDist[base + pos] = d;
            heapIdx[base + pos] = candidate;
            return;
        }
        if (!worse(heapDist[base], heapIdx[base], d, candidate)) {
            return; // not better than the current k-th
        }
        int pos = 0;
        while (true) {
            int left = 2 * pos + 1;
            if (left >= k) {
                break;
            }
            int right = left + 1;
            int child = left;
            if (right < k && worse(heapDist[base + right], heapIdx[base + right], heapDist[base + left], heapIdx[base + left])) {
                child = right;
            }
            if (!worse(heapDist[base + child], heapIdx[base + child], d, candidate)) {
                break;
            }
            heapDist[base + pos] = heapDist[base + child];
            heapIdx[base + pos] = heapIdx[base + child];
            pos = child;
        }
        heapDist[base + pos] = d;
        heapIdx[base + pos] = candidate;
    }

    /** True when (d1, i1) ranks after (d2, i2). */
    private static boolean worse(double d1, int i1, double d2, int i2) {
        return d1 > d2 || (d1 == d2 && i1 > i2);
    }

    private static double dot(double[] a, double[] b, int width) {
        double s = 0.0;
        for (int t = 0; t < width; t++) {
            s += a[t] * b[t];
        }
        return s;
    }

    /** Dot products of four rows a with two rows b: dots[r] = a_r.b0, dots[4 + r] = a_r.b1. */
    private static void dot4x2(double[] a0, double[] a1, double[] a2, double[] a3,
                               double[] b0, double[] b1, int width, double[] dots) {
        double s00 = 0, s10 = 0, s20 = 0, s30 = 0, s01 = 0, s11 = 0, s21 = 0, s31 = 0;
        for (int t = 0; t < width; t++) {
            double u = b0[t];
            double v = b1[t];
            double p0 = a0[t], p1 = a1[t], p2 = a2[t], p3 = a3[t];
            s00 += p0 * u;
            s10 += p1 * u;
            s20 += p2 * u;
            s30 += p3 * u;
            s01 += p0 * v;
            s11 += p1 * v;
            s21 += p2 * v;
            s31 += p3 * v;
        }
        dots[0] = s00;
        dots[1] = s10;
        dots[2] = s20;
        dots[3] = s30;
        dots[4] = s01;
        dots[5] = s11;
        dots[6] = s21;
        dots[7] = s31;
    }
}
