package dev.routelens.probe;

import java.util.Arrays;

/**
 * A tensor copied to the host for one document. Floating tensors are kept as float32, index
 * tensors (top-k) as int64. {@code positions} gives the document-local token of each row for
 * per-expert tensors, and is null when there is one row per token.
 *
 * @param name hook name
 * @param shape shape, first dimension = rows
 * @param floats data when floating, row-major, else null
 * @param longs data when integral, row-major, else null
 * @param positions token position of each row, or null
 */
public record CapturedTensor(String name, long[] shape, float[] floats, long[] longs, int[] positions) {

    public CapturedTensor {
        if ((floats == null) == (longs == null)) {
            throw new IllegalArgumentException(name + ": exactly one of floats/longs must be set");
        }
    }

    public int rows() {
        return (int) shape[0];
    }

    /** Row width (product of the trailing dimensions). */
    public int width() {
        long w = 1;
        for (int i = 1; i < shape.length; i++) {
            w *= shape[i];
        }
        return (int) w;
    }

    /** Row r as floats (a copy). */
    public float[] row(int r) {
        int w = width();
        return floats != null
                ? Arrays.copyOfRange(floats, r * w, (r + 1) * w)
                : toFloats(Arrays.copyOfRange(longs, r * w, (r + 1) * w));
    }

    /** As a [rows][width] float matrix. */
    public float[][] matrix() {
        float[][] m = new float[rows()][];
        for (int r = 0; r < m.length; r++) {
            m[r] = row(r);
        }
        return m;
    }

    /** As a [rows][width] int matrix (for top-k ids). */
    public int[][] intMatrix() {
        int w = width();
        int[][] m = new int[rows()][w];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < w; c++) {
                m[r][c] = longs != null ? (int) longs[r * w + c] : (int) floats[r * w + c];
            }
        }
        return m;
    }

    /** E.g. {@code CapturedTensor[layers.1.moe.gate [12, 8] float32]}; positions are noted, data is not shown. */
    @Override
    public String toString() {
        return "CapturedTensor[" + name + " " + Arrays.toString(shape) + " " + (floats != null ? "float32" : "int64")
                + (positions != null ? ", with token positions" : "") + "]";
    }

    private static float[] toFloats(long[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }
}
