package dev.routelens.embed;

import java.util.Arrays;

/**
 * A 2^d tree (quadtree in 2-D, octree in 3-D) over points {@code y} ({@code [N * dims]}, row-major) for
 * Barnes-Hut sums. Nodes are stored flat, in pre-order, one record of {@value #STRIDE} doubles each (one
 * cache line), so the walk needs no stack: a node's first child is the next record, and {@code skip} jumps
 * past its subtree.
 *
 * <p>Cells are cubes. A leaf holds one point, or several when the cube can no longer be split
 * (duplicate points); those leaves list their points in {@code order[leafStart, leafStart + count)}.
 */
final class SpacePartitionTree {

    /** Cells are not split below this depth; deeper points are kept together in one leaf. */
    private static final int MAX_DEPTH = 48;
    /** Doubles per node record. */
    static final int STRIDE = 8;
    // Record layout.
    private static final int CENTER_OF_MASS = 0; // 0..2 (2-D uses 0..1)
    private static final int HALF_SIDE_SQUARED = 3;
    private static final int COUNT = 4;
    private static final int SKIP = 5;
    /** Point index of a one-point leaf; {@link #INNER} or {@link #MULTI_LEAF} otherwise. */
    private static final int KIND = 6;
    private static final int LEAF_START = 7;
    private static final int INNER = -1;
    private static final int MULTI_LEAF = -2;

    private final int dims;
    private final int children;
    private final int[] order;     // [N] point indices grouped by leaf
    private final int[] scratch;   // [N]
    private final int[] childOf;   // [N] child slot of each point during a split
    private double[] y;            // [N * dims], not copied
    private double[] nodes;        // [nodes * STRIDE]
    private int nodeCount;
    /** Largest point count of a walk group. */
    private final int groupSize;
    private int groupCount;
    private int[] groupNode;       // [groups] tree node whose subtree is the group
    private double[] groupBox;     // [groups * 4] cube centre (3, 2-D uses 2) and half side

    SpacePartitionTree(int dims, int n) {
        this(dims, n, 16);
    }

    /** A tree for {@code n} points whose group walk handles up to {@code groupSize} points at once. */
    SpacePartitionTree(int dims, int n, int groupSize) {
        if (dims != 2 && dims != 3) {
            throw new IllegalArgumentException("space-partition tree: dims must be 2 or 3, got " + dims);
        }
        this.dims = dims;
        this.children = 1 << dims;
        this.order = new int[n];
        this.scratch = new int[n];
        this.childOf = new int[n];
        this.nodes = new double[Math.max(16, 2 * n) * STRIDE];
        this.groupSize = Math.max(1, groupSize);
        this.groupNode = new int[Math.max(16, n)];
        this.groupBox = new double[Math.max(16, n) * 4];
    }

    /** Rebuilds the tree over {@code points} ({@code [N * dims]}, kept by reference until the next rebuild). */
    void rebuild(double[] points) {
        this.y = points;
        int n = order.length;
        double[] min = new double[dims];
        double[] max = new double[dims];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            order[i] = i;
            for (int d = 0; d < dims; d++) {
                double v = points[i * dims + d];
                min[d] = Math.min(min[d], v);
                max[d] = Math.max(max[d], v);
            }
        }
        double half = 0.0;
        double[] center = new double[dims];
        for (int d = 0; d < dims; d++) {
            center[d] = 0.5 * (min[d] + max[d]);
            half = Math.max(half, 0.5 * (max[d] - min[d]));
        }
        half = half * (1.0 + 1e-9) + 1e-12;
        nodeCount = 0;
        groupCount = 0;
        buildNode(0, n, center, half, 0, false);
    }

    /** Number of walk groups: disjoint subtrees of at most {@code groupSize} points covering all points. */
    int groupCount() {
        return groupCount;
    }

    int nodeCount() {
        return nodeCount;
    }

    /** Point at position {@code position} of the leaf order (spatially close points are adjacent). */
    int pointInLeafOrder(int position) {
        return order[position];
    }

    /** Adds the node for points {@code order[lo, hi)} in the cube at {@code center} of half side {@code half}. */
    private void buildNode(int lo, int hi, double[] center, double half, int depth, boolean insideGroup) {
        int node = nodeCount++;
        boolean groupRoot = !insideGroup && hi - lo <= groupSize;
        if (groupRoot) {
            groupNode[groupCount] = node;
            for (int d = 0; d < dims; d++) {
                groupBox[groupCount * 4 + d] = center[d];
            }
            groupBox[groupCount * 4 + 3] = half;
            groupCount++;
        }
        if (nodeCount * STRIDE > nodes.length) {
            nodes = Arrays.copyOf(nodes, nodes.length * 2);
        }
        int base = node * STRIDE;
        for (int d = 0; d < dims; d++) {
            double sum = 0.0;
            for (int p = lo; p < hi; p++) {
                sum += y[order[p] * dims + d];
            }
            nodes[base + CENTER_OF_MASS + d] = sum / (hi - lo);
        }
        nodes[base + HALF_SIDE_SQUARED] = half * half;
        nodes[base + COUNT] = hi - lo;
        nodes[base + LEAF_START] = lo;
        if (hi - lo == 1) {
            nodes[base + KIND] = order[lo];
            nodes[base + SKIP] = nodeCount;
            return;
        }
        if (depth >= MAX_DEPTH || half < 1e-300) {
            nodes[base + KIND] = MULTI_LEAF;
            nodes[base + SKIP] = nodeCount;
            return;
        }
        nodes[base + KIND] = INNER;
        // Counting sort of the points by child slot.
        int[] slotStart = new int[children + 1];
        for (int p = lo; p < hi; p++) {
            int point = order[p];
            int slot = 0;
            for (int d = 0; d < dims; d++) {
                if (y[point * dims + d] >= center[d]) {
                    slot |= 1 << d;
                }
            }
            childOf[p] = slot;
            slotStart[slot + 1]++;
        }
        for (int c = 0; c < children; c++) {
            slotStart[c + 1] += slotStart[c];
        }
        int[] cursor = Arrays.copyOf(slotStart, children);
        for (int p = lo; p < hi; p++) {
            scratch[lo + cursor[childOf[p]]++] = order[p];
        }
        System.arraycopy(scratch, lo, order, lo, hi - lo);
        double childHalf = 0.5 * half;
        double[] childCenter = new double[dims];
        for (int c = 0; c < children; c++) {
            int from = lo + slotStart[c];
            int to = lo + slotStart[c + 1];
            if (from == to) {
                continue;
            }
            for (int d = 0; d < dims; d++) {
                childCenter[d] = center[d] + (((c >> d) & 1) == 1 ? childHalf : -childHalf);
            }
            buildNode(from, to, childCenter, childHalf, depth + 1, insideGroup || groupRoot);
        }
        nodes[node * STRIDE + SKIP] = nodeCount; // nodes may have been reallocated
    }

    /**
     * Barnes-Hut repulsion on point {@code i}: adds {@code sum_j q_ij^2 (y_i - y_j)} (unnormalised,
     * {@code q_ij = 1 / (1 + |y_i - y_j|^2)}) into {@code force[offset, offset + dims)} and returns
     * {@code sum_j q_ij}, both over j != i. An inner cell is summarised by its centre of mass when
     * {@code halfSide < theta * distance} (the criterion of van der Maaten's bhtsne, whose cells store half
     * widths); leaves are always exact.
     */
    double repulsion(int i, double thetaSquared, double[] force, int offset) {
        return dims == 2 ? repulsion2(i, thetaSquared, force, offset) : repulsion3(i, thetaSquared, force, offset);
    }

    private double repulsion2(int i, double thetaSquared, double[] force, int offset) {
        final double[] nd = nodes;
        final int total = nodeCount;
        double yx = y[2 * i], yy = y[2 * i + 1];
        double fx = 0.0, fy = 0.0, sumQ = 0.0;
        int node = 0;
        while (node < total) {
            int b = node * STRIDE;
            int kind = (int) nd[b + KIND];
            if (kind == i) {
                node++;
                continue;
            }
            double dx = yx - nd[b], dy = yy - nd[b + 1];
            double d2 = dx * dx + dy * dy;
            if (kind >= 0 || (kind == INNER && nd[b + HALF_SIDE_SQUARED] < thetaSquared * d2)) {
                double q = 1.0 / (1.0 + d2);
                double mq = nd[b + COUNT] * q;
                sumQ += mq;
                mq *= q;
                fx += mq * dx;
                fy += mq * dy;
                node = (int) nd[b + SKIP];
            } else if (kind == INNER) {
                node++;
            } else { // duplicates: exact over the leaf's points
                for (int p = (int) nd[b + LEAF_START], end = p + (int) nd[b + COUNT]; p < end; p++) {
                    int j = order[p];
                    if (j != i) {
                        double ex = yx - y[2 * j], ey = yy - y[2 * j + 1];
                        double q = 1.0 / (1.0 + ex * ex + ey * ey);
                        sumQ += q;
                        fx += q * q * ex;
                        fy += q * q * ey;
                    }
                }
                node++;
            }
        }
        force[offset] += fx;
        force[offset + 1] += fy;
        return sumQ;
    }

    private double repulsion3(int i, double thetaSquared, double[] force, int offset) {
        final double[] nd = nodes;
        final int total = nodeCount;
        double yx = y[3 * i], yy = y[3 * i + 1], yz = y[3 * i + 2];
        double fx = 0.0, fy = 0.0, fz = 0.0, sumQ = 0.0;
        int node = 0;
        while (node < total) {
            int b = node * STRIDE;
            int kind = (int) nd[b + KIND];
            if (kind == i) {
                node++;
                continue;
            }
            double dx = yx - nd[b], dy = yy - nd[b + 1], dz = yz - nd[b + 2];
            double d2 = dx * dx + dy * dy + dz * dz;
            if (kind >= 0 || (kind == INNER && nd[b + HALF_SIDE_SQUARED] < thetaSquared * d2)) {
                double q = 1.0 / (1.0 + d2);
                double mq = nd[b + COUNT] * q;
                sumQ += mq;
                mq *= q;
                fx += mq * dx;
                fy += mq * dy;
                fz += mq * dz;
                node = (int) nd[b + SKIP];
            } else if (kind == INNER) {
                node++;
            } else { // duplicates: exact over the leaf's points
                for (int p = (int) nd[b + LEAF_START], end = p + (int) nd[b + COUNT]; p < end; p++) {
                    int j = order[p];
                    if (j != i) {
                        double ex = yx - y[3 * j], ey = yy - y[3 * j + 1], ez = yz - y[3 * j + 2];
                        double q = 1.0 / (1.0 + ex * ex + ey * ey + ez * ez);
                        sumQ += q;
                        fx += q * q * ex;
                        fy += q * q * ey;
                        fz += q * q * ez;
                    }
                }
                node++;
            }
        }
        force[offset] += fx;
        force[offset + 1] += fy;
        force[offset + 2] += fz;
        return sumQ;
    }

    /**
     * Barnes-Hut repulsion on every point of walk group {@code group}, walking the tree once for the whole
     * group (Barnes 1990): a cell is summarised only when {@code halfSide < theta * d} holds for the nearest
     * point of the group's cube, so each point gets at least the accuracy of its own walk. Pairs inside the
     * group are exact. Adds into {@code force[j * dims ...]} and {@code sumQ[j]} for the group's points j.
     */
    void groupRepulsion(int group, double thetaSquared, double[] force, double[] sumQ) {
        final double[] nd = nodes;
        final int total = nodeCount;
        final int own = groupNode[group];
        final int ownBase = own * STRIDE;
        final int ownEnd = (int) nd[ownBase + SKIP];
        final int lo = (int) nd[ownBase + LEAF_START];
        final int m = (int) nd[ownBase + COUNT];
        final double cx = groupBox[group * 4], cy = groupBox[group * 4 + 1];
        final double cz = dims == 3 ? groupBox[group * 4 + 2] : 0.0;
        final double gh = groupBox[group * 4 + 3];
        double[] px = new double[m], py = new double[m], pz = new double[m];
        double[] fx = new double[m], fy = new double[m], fz = new double[m], sq = new double[m];
        for (int a = 0; a < m; a++) {
            int j = order[lo + a];
            px[a] = y[j * dims];
            py[a] = y[j * dims + 1];
            pz[a] = dims == 3 ? y[j * dims + 2] : 0.0;
        }
        // Exact pairs inside the group.
        for (int a = 0; a < m; a++) {
            for (int c = a + 1; c < m; c++) {
                double dx = px[a] - px[c], dy = py[a] - py[c], dz = pz[a] - pz[c];
                double q = 1.0 / (1.0 + dx * dx + dy * dy + dz * dz);
                double q2 = q * q;
                sq[a] += q;
                sq[c] += q;
                fx[a] += q2 * dx;
                fy[a] += q2 * dy;
                fz[a] += q2 * dz;
                fx[c] -= q2 * dx;
                fy[c] -= q2 * dy;
                fz[c] -= q2 * dz;
            }
        }
        int node = 0;
        while (node < total) {
            if (node == own) {
                node = ownEnd;
                continue;
            }
            int b = node * STRIDE;
            int kind = (int) nd[b + KIND];
            double comX = nd[b], comY = nd[b + 1], comZ = dims == 3 ? nd[b + 2] : 0.0;
            if (kind == INNER) {
                int end = (int) nd[b + SKIP];
                if (node < own && own < end) {
                    node++; // an ancestor of the group: it contains the group's own points
                    continue;
                }
                double ex = Math.max(0.0, Math.abs(comX - cx) - gh);
                double ey = Math.max(0.0, Math.abs(comY - cy) - gh);
                double ez = Math.max(0.0, Math.abs(comZ - cz) - gh);
                if (!(nd[b + HALF_SIDE_SQUARED] < thetaSquared * (ex * ex + ey * ey + ez * ez))) {
                    node++;
                    continue;
                }
                node = end;
            } else if (kind == MULTI_LEAF) {
                for (int p = (int) nd[b + LEAF_START], pEnd = p + (int) nd[b + COUNT]; p < pEnd; p++) {
                    int j = order[p];
                    double qx = y[j * dims], qy = y[j * dims + 1], qz = dims == 3 ? y[j * dims + 2] : 0.0;
                    accumulate(px, py, pz, fx, fy, fz, sq, m, qx, qy, qz, 1.0);
                }
                node++;
                continue;
            } else {
                node++;
            }
            accumulate(px, py, pz, fx, fy, fz, sq, m, comX, comY, comZ, nd[b + COUNT]);
        }
        for (int a = 0; a < m; a++) {
            int j = order[lo + a];
            force[j * dims] += fx[a];
            force[j * dims + 1] += fy[a];
            if (dims == 3) {
                force[j * dims + 2] += fz[a];
            }
            sumQ[j] += sq[a];
        }
    }

    /** Adds the repulsion of {@code mass} points at (x, y, z) on each of the m group points. */
    private static void accumulate(double[] px, double[] py, double[] pz, double[] fx, double[] fy, double[] fz,
                                   double[] sq, int m, double x, double y, double z, double mass) {
        for (int a = 0; a < m; a++) {
            double dx = px[a] - x, dy = py[a] - y, dz = pz[a] - z;
            double q = 1.0 / (1.0 + dx * dx + dy * dy + dz * dz);
            double mq = mass * q;
            sq[a] += mq;
            mq *= q;
            fx[a] += mq * dx;
            fy[a] += mq * dy;
            fz[a] += mq * dz;
        }
    }
}
