package dev.routelens.embed;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Eigen-decomposition of a real symmetric matrix, by EJML's symmetric QR algorithm (Householder
 * tridiagonalisation, then implicit QR). This class only adapts EJML to the layout {@link Pca} reads:
 * eigenvalues descending, unit eigenvectors as columns.
 *
 * <p>Why EJML rather than Smile, which is already a dependency: Smile 3.1.1's {@code Matrix.eigen()} calls
 * LAPACK through the OpenBLAS natives that smile-base bundles. Those exist for linux/windows x86-64 and macOS
 * only (none for linux-aarch64), are extracted under {@code ~/.javacpp} and loaded on first use (measured
 * here on a 200 x 200 matrix: first call in a JVM 0.8 s and 1.9 s in two runs, later calls 5 ms), and
 * their results can depend on the CPU's BLAS kernels and thread count. EJML is pure Java, so a PCA gives the
 * same bits on every machine and at every thread count, as the rest of this package does.
 */
final class SymmetricEigen {

    /** Eigenvalues, descending, {@code [m]}. */
    final double[] values;
    /** Unit eigenvectors as columns, {@code [m, m]}: column c belongs to {@code values[c]}. */
    final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes the symmetric matrix {@code a} ({@code [m, m]}, not modified; only symmetric part used). */
    static SymmetricEigen of(double[][] a) {
        int m = a.length;
        DMatrixRMaj sym = new DMatrixRMaj(m, m); // [m, m] (a + a^T) / 2
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                sym.unsafe_set(i, j, 0.5 * (a[i][j] + a[j][i]));
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eigen = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eigen.decompose(sym)) {
            throw new IllegalStateException("symmetric eigen-decomposition of a " + m + " x " + m
                    + " matrix did not converge");
        }
        double[] raw = new double[m];
        for (int c = 0; c < m; c++) {
            raw[c] = eigen.getEigenvalue(c).getReal(); // symmetric: imaginary parts are 0
        }
        // Descending by eigenvalue; equal eigenvalues keep EJML's order.
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(raw[q], raw[p]));
        double[] values = new double[m];
        double[][] vectors = new double[m][m];
        for (int c = 0; c < m; c++) {
            values[c] = raw[order[c]];
            DMatrixRMaj v = eigen.getEigenVector(order[c]); // [m, 1]
            for (int r = 0; r < m; r++) {
                vectors[r][c] = v.get(r, 0);
            }
        }
        return new SymmetricEigen(values, vectors);
    }
}
