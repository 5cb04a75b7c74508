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
    public static final double BLAS_MIN_INTENSITY = 10;

    /** Rows shorter than this are computed through the transposed product in Java. */
    static final int SHORT_ROW = 16;

    private static volatile boolean blasLoaded;

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

    /** The OpenBLAS path, whatever the size. */
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
        ensureBlas();
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(c, m * n, beta);
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
                a,
                lda,
                b,
                ldb,
                beta,
                c,
                n);
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
     * is computed as its transpose, C^T = op(B)^T op(A)^T, and a transposed B is transposed once
     * into a scratch array.
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
        float[] rowsOfB = transposeB ? transpose(b, n, k) : b;
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
                if (written) {
                    VectorMath.axpy(scaled, rowsOfB, p * n, c, rowC, n);
                } else {
                    VectorMath.scaleInto(scaled, rowsOfB, p * n, c, rowC, n);
                    written = true;
                }
            }
            if (!written) {
                java.util.Arrays.fill(c, rowC, rowC + n, 0f);
            }
        }
    }

    /** The transpose of a rows x columns matrix. */
    static float[] transpose(float[] values, int rows, int columns) {
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
