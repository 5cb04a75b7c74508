package org.sgdlab.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas_full;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * General matrix products on row-major float arrays: C = alpha op(A) op(B) + beta C.
 *
 * <p>op(X) is X or its transpose. A is m x k after op, B is k x n after op, C is m x n. Products
 * that are small, or that do few multiply-adds per value (a batch of one), run in plain Java
 * ({@link #prefersBlas}), where the call overhead of the native binding (it copies the Java arrays:
 * about 100 us for a 1 x 100 by 100 x 1024 product) would dominate; the others go to OpenBLAS's
 * {@code cblas_sgemm}. Beta is 0 or 1: with 0 the old contents of C are ignored, NaN included.
 */
public final class Gemm {
    /** Multiply-adds from which OpenBLAS can beat the Java loops, as measured here. */
    public static final long BLAS_MIN_MULTIPLY_ADDS = 1L << 15;

    /**
     * Multiply-adds per value copied (mnk / (mk + kn + mn)) from which OpenBLAS beats the Java
     * loops despite the binding's copies of the three arrays, as measured here.
     */
    public static final double BLAS_MIN_INTENSITY = 8;

    /** Rows shorter than this are computed through the transposed product in Java. */
    static final int SHORT_ROW = 16;

    /** Below this many rows, a product with a transposed B runs as dot products over B's rows. */
    static final int FEW_ROWS = 4;

    private static volatile boolean blasLoaded;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** Direct buffers for the operands of this thread's products, grown as needed. */
    private static final class Workspace {
        private FloatBuffer left = directBuffer(0);
        private FloatBuffer right = directBuffer(0);
        private FloatBuffer out = directBuffer(0);

        FloatBuffer left(int length) {
            left = fit(left, length);
            return left;
        }

        FloatBuffer right(int length) {
            right = fit(right, length);
            return right;
        }

        FloatBuffer out(int length) {
            out = fit(out, length);
            return out;
        }

        private static FloatBuffer fit(FloatBuffer buffer, int length) {
            return buffer.capacity() >= length
                    ? buffer
                    : directBuffer((int) Math.min(Integer.MAX_VALUE / Float.BYTES, 2L * length));
        }
    }

    private Gemm() {}

    /** Computes C = alpha op(A) op(B) + beta C, choosing the faster path for the size. */
    public static void multiply(
            boolean transposeA,
            boolean transposeB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float beta,
            float[] c) {
        if (prefersBlas(m, n, k)) {
            blas(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
        } else {
            java(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
        }
    }

    /** Whether OpenBLAS is the faster path for an m x k by k x n product. */
    public static boolean prefersBlas(int m, int n, int k) {
        double multiplyAdds = (double) m * n * k;
        double copied = (double) m * k + (double) k * n + (double) m * n;
        return multiplyAdds >= BLAS_MIN_MULTIPLY_ADDS
                && multiplyAdds >= BLAS_MIN_INTENSITY * copied;
    }

    /**
     * The OpenBLAS path, whatever the size. The arrays are copied into this thread's direct
     * buffers, which the binding passes by address, and C is copied back: A and B once, C twice
     * when beta is not 0, which is half of what the binding's own array overload copies.
     */
    public static void blas(
            boolean transposeA,
            boolean transposeB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float beta,
            float[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(c, m * n, beta);
            return;
        }
        Workspace workspace = WORKSPACE.get();
        FloatBuffer left = workspace.left(m * k).put(0, a, 0, m * k);
        FloatBuffer right = workspace.right(k * n).put(0, b, 0, k * n);
        FloatBuffer out = workspace.out(m * n);
        if (beta != 0f) {
            out.put(0, c, 0, m * n);
        }
        blas(transposeA, transposeB, m, n, k, alpha, left, right, beta, out);
        out.get(0, c, 0, m * n);
    }

    /**
     * The OpenBLAS path on direct buffers (from {@link #directBuffer}), which the binding passes by
     * address: unlike the {@code float[]} overload it copies nothing, so a caller that keeps its
     * operands off the heap saves three copies in and three out per call. Each matrix starts at
     * index 0 of its buffer, whatever the buffer's position.
     */
    public static void blas(
            boolean transposeA,
            boolean transposeB,
            int m,
            int n,
            int k,
            float alpha,
            FloatBuffer a,
            FloatBuffer b,
            float beta,
            FloatBuffer c) {
        ensureBlas();
        requireDirect(a, (long) m * k, "A", m, k);
        requireDirect(b, (long) k * n, "B", k, n);
        requireDirect(c, (long) m * n, "C", m, n);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m * n; i++) {
                c.put(i, beta == 0f ? 0f : beta * c.get(i));
            }
            return;
        }
        int lda = transposeA ? m : k;
        int ldb = transposeB ? k : n;
        openblas_nolapack.cblas_sgemm(
                openblas_nolapack.CblasRowMajor,
                transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m,
                n,
                k,
                alpha,
                a.duplicate().position(0),
                lda,
                b.duplicate().position(0),
                ldb,
                beta,
                c.duplicate().position(0),
                n);
    }

    /** A zeroed direct buffer of floats in native byte order, for the buffer overload of blas. */
    public static FloatBuffer directBuffer(int length) {
        if (length < 0 || length > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException(
                    "a direct buffer holds 0 to 2^29 floats, got " + length);
        }
        return ByteBuffer.allocateDirect(length * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /**
     * The plain-Java path, whatever the size. Every form is reduced to one whose inner loop runs
     * over a contiguous row of the result: a product with short rows (n below {@link #SHORT_ROW})
     * and more rows than columns is computed as its transpose, C^T = op(B)^T op(A)^T, a single
     * short row runs in scalar code, and a transposed B is transposed once into a scratch array
     * unless A has only a few rows, which then take dot products with B's rows. A matrix-vector
     * product (n = 1) runs as dot products or row sums without any transpose.
     */
    public static void java(
            boolean transposeA,
            boolean transposeB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float beta,
            float[] c) {
        if (n == 1) {
            matrixVector(transposeA, m, k, alpha, a, b, beta, c);
            return;
        }
        if (n < SHORT_ROW && m > n) {
            float[] transposed = new float[n * m];
            java(!transposeB, !transposeA, n, m, k, alpha, b, a, 0f, transposed);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float value = transposed[j * m + i];
                    c[i * n + j] = beta == 0f ? value : beta * c[i * n + j] + value;
                }
            }
            return;
        }
        if (transposeB && m < FEW_ROWS) {
            rowDots(transposeA, m, n, k, alpha, a, b, beta, c);
            return;
        }
        float[] rowsOfB = transposeB ? transpose(b, n, k) : b;
        if (n < SHORT_ROW) {
            shortRows(transposeA, m, n, k, alpha, a, rowsOfB, beta, c);
            return;
        }
        for (int i = 0; i < m; i++) {
            int rowC = i * n;
            boolean written = beta != 0f;
            if (written && beta != 1f) {
                VectorMath.scaleInto(beta, c, rowC, c, rowC, n);
            }
            for (int p = 0; p < k; p++) {
                float scaled = alpha * (transposeA ? a[p * m + i] : a[i * k + p]);
                if (scaled == 0f) {
                    continue;
                }
                int rowB = p * n;
                if (written) {
                    VectorMath.axpy(scaled, rowsOfB, rowB, c, rowC, n);
                } else {
                    VectorMath.scaleInto(scaled, rowsOfB, rowB, c, rowC, n);
                }
                written = true;
            }
            if (!written) {
                java.util.Arrays.fill(c, rowC, rowC + n, 0f);
            }
        }
    }

    /**
     * c = alpha op(A) b + beta c for a column b of k values, A of m x k after op: dot products over
     * the rows of A, or for a transposed A a sum of its rows scaled by b, both contiguous.
     */
    private static void matrixVector(
            boolean transposeA,
            int m,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float beta,
            float[] c) {
        if (!transposeA) {
            for (int i = 0; i < m; i++) {
                float product = alpha * VectorMath.dot(a, i * k, b, 0, k);
                c[i] = beta == 0f ? product : beta * c[i] + product;
            }
            return;
        }
        scale(c, m, beta);
        for (int p = 0; p < k; p++) {
            VectorMath.axpy(alpha * b[p], a, p * m, c, 0, m);
        }
    }

    /**
     * C = alpha op(A) B + beta C for rows of C shorter than {@link #SHORT_ROW}: each c_ij is a sum
     * over p, kept in four independent accumulators so that the multiply-adds do not wait for each
     * other.
     */
    private static void shortRows(
            boolean transposeA,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float beta,
            float[] c) {
        int strideA = transposeA ? m : 1;
        for (int i = 0; i < m; i++) {
            int startA = transposeA ? i : i * k;
            for (int j = 0; j < n; j++) {
                float s0 = 0f;
                float s1 = 0f;
                float s2 = 0f;
                float s3 = 0f;
                int p = 0;
                for (; p + 3 < k; p += 4) {
                    s0 += a[startA + p * strideA] * b[p * n + j];
                    s1 += a[startA + (p + 1) * strideA] * b[(p + 1) * n + j];
                    s2 += a[startA + (p + 2) * strideA] * b[(p + 2) * n + j];
                    s3 += a[startA + (p + 3) * strideA] * b[(p + 3) * n + j];
                }
                for (; p < k; p++) {
                    s0 += a[startA + p * strideA] * b[p * n + j];
                }
                float product = alpha * ((s0 + s1) + (s2 + s3));
                c[i * n + j] = beta == 0f ? product : beta * c[i * n + j] + product;
            }
        }
    }

    /**
     * c_ij = alpha op(A)_i . B_j + beta c_ij for a transposed B stored [n, k], whose rows are
     * contiguous: for a few rows of A this beats transposing B first.
     */
    private static void rowDots(
            boolean transposeA,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float beta,
            float[] c) {
        float[] rowsOfA = transposeA ? transpose(a, k, m) : a;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float product;
                if (k < SHORT_ROW) {
                    product = 0f;
                    for (int p = 0; p < k; p++) {
                        product += rowsOfA[i * k + p] * b[j * k + p];
                    }
                } else {
                    product = VectorMath.dot(rowsOfA, i * k, b, j * k, k);
                }
                c[i * n + j] = beta == 0f ? alpha * product : beta * c[i * n + j] + alpha * product;
            }
        }
    }

    /** The transpose of a rows x columns matrix. */
    public static float[] transpose(float[] values, int rows, int columns) {
        float[] out = new float[values.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                out[j * rows + i] = values[i * columns + j];
            }
        }
        return out;
    }

    /** Sets the number of threads OpenBLAS may use; sweeps that run runs in parallel pass 1. */
    public static void setBlasThreads(int threads) {
        ensureBlas();
        openblas_full.openblas_set_num_threads(threads);
    }

    /** The OpenBLAS build's own description (version, kernel and threading). */
    public static String blasConfiguration() {
        ensureBlas();
        return openblas_full.openblas_get_config().getString().trim();
    }

    private static void requireDirect(
            FloatBuffer buffer, long needed, String name, int rows, int columns) {
        if (!buffer.isDirect() || buffer.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException(
                    "blas on buffers needs direct buffers in native order, got "
                            + name
                            + " = "
                            + buffer);
        }
        if (buffer.capacity() < needed) {
            throw new IllegalArgumentException(
                    "matrix "
                            + name
                            + " of "
                            + rows
                            + " x "
                            + columns
                            + " does not fit a buffer of "
                            + buffer.capacity()
                            + " floats");
        }
    }

    private static void scale(float[] c, int length, float beta) {
        if (beta == 0f) {
            java.util.Arrays.fill(c, 0, length, 0f);
        } else if (beta != 1f) {
            for (int i = 0; i < length; i++) {
                c[i] *= beta;
            }
        }
    }

    private static void ensureBlas() {
        if (!blasLoaded) {
            synchronized (Gemm.class) {
                if (!blasLoaded) {
                    org.bytedeco.javacpp.Loader.load(openblas_nolapack.class);
                    blasLoaded = true;
                }
            }
        }
    }
}
