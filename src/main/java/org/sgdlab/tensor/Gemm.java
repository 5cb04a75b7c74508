package org.sgdlab.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /**
     * Multiply-adds from which a Java product or outer-product update splits the rows of its larger
     * operand in two halves, run on two threads where the helper thread is free: below it the
     * hand-over costs more than half the work saves. The split depends on the shape only, so the
     * result is the same on one thread or two.
     */
    static final long SPLIT_MIN_MULTIPLY_ADDS = 1L << 15;

    /** Rows from this length on are skipped where the factor of an outer product is 0. */
    static final int SKIP_ZEROS_FROM = 64;

    /** Below this many rows, a product with a transposed B runs as dot products over B's rows. */
    static final int FEW_ROWS = 4;

    private static volatile boolean blasLoaded;

    /**
     * OpenBLAS's threads as last set by {@link #setThreads}, or 0 before: OpenBLAS's own count then
     * (the machine's cores, or OPENBLAS_NUM_THREADS where that is set).
     */
    private static volatile int blasThreads;

    /** Held while {@link #inHalves} has OpenBLAS on one thread. */
    private static final AtomicBoolean HALVES = new AtomicBoolean();

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** This thread's scratch for its products, grown as needed. */
    private static final class Workspace {
        private FloatBuffer left = directBuffer(0);
        private FloatBuffer right = directBuffer(0);
        private FloatBuffer out = directBuffer(0);
        private float[] partial = new float[0];

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

        /** Zeros for a partial sum of a split Java product, kept so that it stays in cache. */
        float[] partial(int length) {
            if (partial.length < length) {
                partial = new float[length];
            } else {
                java.util.Arrays.fill(partial, 0, length, 0f);
            }
            return partial;
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
     * and more rows than columns is computed as its transpose, C^T = op(B)^T op(A)^T, other short
     * rows are computed a block of columns at a time while B is read row by row, and a transposed B
     * is transposed once into a scratch array unless A has only a few rows, which then take dot
     * products with B's rows. A matrix-vector product (n = 1) runs as dot products or row sums
     * without any transpose. Long rows of C are accumulated four rows of B at a time, over the
     * entries of op(A) that are not 0 (a ReLU output has many); from {@link
     * #SPLIT_MIN_MULTIPLY_ADDS} on, the two halves of B's rows are summed apart, on two threads
     * where the helper thread is free, and then added.
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
        longRowProduct(transposeA, m, n, k, alpha, a, rowsOfB, beta, c, null);
    }

    /**
     * C = alpha op(A) B + beta C by {@link #longRows}, after B += s u v^T where an update is given;
     * from {@link #SPLIT_MIN_MULTIPLY_ADDS} on, the two halves of B's rows are summed apart, on two
     * threads where the helper thread is free, and then added.
     */
    private static void longRowProduct(
            boolean transposeA,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float beta,
            float[] c,
            Tensor.DeferredUpdate update) {
        if (beta == 0f) {
            java.util.Arrays.fill(c, 0, m * n, 0f);
        } else if (beta != 1f) {
            VectorMath.scaleInto(beta, c, 0, c, 0, m * n);
        }
        if ((long) m * n * k < SPLIT_MIN_MULTIPLY_ADDS) {
            longRows(transposeA, m, n, k, alpha, a, b, c, 0, k, update);
            return;
        }
        int middle = k / 2;
        float[] upper = WORKSPACE.get().partial(m * n);
        HelperThread.run(
                () -> longRows(transposeA, m, n, k, alpha, a, b, c, 0, middle, update),
                () -> longRows(transposeA, m, n, k, alpha, a, b, upper, middle, k, update));
        VectorMath.axpy(1f, upper, 0, c, 0, m * n);
    }

    /**
     * C = C + alpha op(A)[:, from:to] B[from:to, :] for B stored [k, n]: each row of C accumulates
     * the rows of B four at a time, over the entries of op(A) that are not 0. Where an update B +=
     * s u v^T is given, the rows of B in [from, to) are updated as {@link #addOuterRows} updates
     * them, each just before it is first read.
     */
    private static void longRows(
            boolean transposeA,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float[] c,
            int from,
            int to,
            Tensor.DeferredUpdate update) {
        int[] used = new int[to - from];
        int updated = from;
        for (int i = 0; i < m; i++) {
            int rowC = i * n;
            int count = 0;
            for (int p = from; p < to; p++) {
                used[count] = p;
                count += element(a, transposeA, m, k, i, p) != 0f ? 1 : 0;
            }
            int q = 0;
            for (; q + 3 < count; q += 4) {
                int p0 = used[q];
                int p1 = used[q + 1];
                int p2 = used[q + 2];
                int p3 = used[q + 3];
                updated = updateRows(update, b, updated, p3 + 1);
                VectorMath.axpy4(
                        alpha * element(a, transposeA, m, k, i, p0),
                        alpha * element(a, transposeA, m, k, i, p1),
                        alpha * element(a, transposeA, m, k, i, p2),
                        alpha * element(a, transposeA, m, k, i, p3),
                        b,
                        p0 * n,
                        p1 * n,
                        p2 * n,
                        p3 * n,
                        c,
                        rowC,
                        n);
            }
            for (; q < count; q++) {
                int p = used[q];
                updated = updateRows(update, b, updated, p + 1);
                VectorMath.axpy(alpha * element(a, transposeA, m, k, i, p), b, p * n, c, rowC, n);
            }
        }
        updateRows(update, b, updated, to);
    }

    /** Applies the update, if any, to the rows [from, to) of B not yet updated; returns to. */
    private static int updateRows(Tensor.DeferredUpdate update, float[] b, int from, int to) {
        if (update != null && from < to) {
            addOuterRows(update.scale(), update.left(), update.right(), b, from, to);
        }
        return to;
    }

    /**
     * A = A + alpha x y^T for A [m, n] stored row-major, x of m and y of n values: the rank-one
     * update of BLAS's sger, which is the SGD step of a layer fed one example. Rows of at least
     * {@link #SKIP_ZEROS_FROM} values are updated only where x is not 0 (x is often a ReLU output,
     * half of it 0 at random), listed first without a branch per row; shorter rows are all updated,
     * since listing them costs more than it saves. Both give the same A unless y holds an infinite
     * or NaN value, which the skipped rows then do not receive as NaN. A large A is split by rows
     * with the helper thread at the row where a Java product splits B, so each core updates the
     * half it reads.
     */
    public static void addOuterProduct(float alpha, float[] x, float[] y, float[] matrix) {
        int m = x.length;
        int n = y.length;
        if (matrix.length != m * n) {
            throw new IllegalArgumentException(
                    "an outer product of "
                            + m
                            + " x "
                            + n
                            + " does not fit "
                            + matrix.length
                            + " values");
        }
        if ((long) m * n < SPLIT_MIN_MULTIPLY_ADDS) {
            addOuterRows(alpha, x, y, matrix, 0, m);
            return;
        }
        int middle = m / 2;
        HelperThread.run(
                () -> addOuterRows(alpha, x, y, matrix, 0, middle),
                () -> addOuterRows(alpha, x, y, matrix, middle, m));
    }

    /** The rows [from, to) of {@link #addOuterProduct}. */
    private static void addOuterRows(
            float alpha, float[] x, float[] y, float[] matrix, int from, int to) {
        int n = y.length;
        if (n >= VectorMath.columnBlock() / 2 && n <= VectorMath.columnBlock()) {
            for (int i = from; i < to; i++) {
                VectorMath.axpyShort(alpha * x[i], y, matrix, i * n, n);
            }
            return;
        }
        if (n < VectorMath.columnBlock() / 2) {
            VectorMath.addOuterShortRows(alpha, x, y, matrix, from, to);
            return;
        }
        if (n < SKIP_ZEROS_FROM) {
            for (int i = from; i < to; i++) {
                VectorMath.axpy(alpha * x[i], y, 0, matrix, i * n, n);
            }
            return;
        }
        int[] rows = new int[to - from];
        int count = 0;
        for (int i = from; i < to; i++) {
            rows[count] = i;
            count += x[i] != 0f ? 1 : 0;
        }
        for (int q = 0; q < count; q++) {
            int i = rows[q];
            VectorMath.axpy(alpha * x[i], y, 0, matrix, i * n, n);
        }
    }

    /**
     * Whether {@link #multiplyAfterOuterProduct} applies an update of a matrix with rows of n
     * values while it reads them, rather than in a pass of its own: for rows of at least {@link
     * #SKIP_ZEROS_FROM} values.
     */
    public static boolean fusesOuterProduct(int n) {
        return n >= SKIP_ZEROS_FROM;
    }

    /**
     * B = B + s u v^T, then c = alpha a B + beta c, for a row a of k values, B [k, n] stored
     * row-major and the update (s, u of k values, v of n): the forward product of a layer fed one
     * example after the SGD update of its weight from the step before. Where {@link
     * #fusesOuterProduct} holds, each row of B is updated just before the product reads it, so that
     * B passes through the cache once instead of twice; B and c come out bit for bit as from {@link
     * #addOuterProduct} followed by {@link #multiply}, which is what runs otherwise.
     */
    public static void multiplyAfterOuterProduct(
            int n,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float beta,
            float[] c,
            Tensor.DeferredUpdate update) {
        if (!fusesOuterProduct(n) || prefersBlas(1, n, k)) {
            addOuterProduct(update.scale(), update.left(), update.right(), b);
            multiply(false, false, 1, n, k, alpha, a, b, beta, c);
            return;
        }
        if (update.left().length != k || update.right().length != n || b.length != k * n) {
            throw new IllegalArgumentException(
                    "an outer product of "
                            + update.left().length
                            + " x "
                            + update.right().length
                            + " does not fit a matrix of "
                            + k
                            + " x "
                            + n);
        }
        longRowProduct(false, 1, n, k, alpha, a, b, beta, c, update);
    }

    /** op(A)_ip for A of m x k after op. */
    private static float element(float[] a, boolean transposed, int m, int k, int i, int p) {
        return transposed ? a[p * m + i] : a[i * k + p];
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
     * C = alpha op(A) B + beta C for rows of C shorter than {@link #SHORT_ROW}: each row of C is a
     * row of op(A) times B, computed by {@link VectorMath#rowTimesColumns} a block of columns at a
     * time, so that B is read row by row rather than down its columns.
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
        int block = VectorMath.columnBlock();
        float[] sums = new float[block];
        for (int i = 0; i < m; i++) {
            int startA = transposeA ? i : i * k;
            int strideA = transposeA ? m : 1;
            for (int column = 0; column < n; column += block) {
                VectorMath.rowTimesColumns(a, startA, strideA, b, k, n, column, sums);
                for (int j = column; j < Math.min(n, column + block); j++) {
                    float product = alpha * sums[j - column];
                    c[i * n + j] = beta == 0f ? product : beta * c[i * n + j] + product;
                }
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
        boolean shortRows = k <= VectorMath.columnBlock();
        float[] dots = shortRows ? new float[n] : null;
        for (int i = 0; i < m; i++) {
            if (shortRows && alpha == 1f && beta == 0f) {
                VectorMath.shortRowDots(rowsOfA, i * k, b, n, k, c, i * n);
                continue;
            }
            if (shortRows) {
                VectorMath.shortRowDots(rowsOfA, i * k, b, n, k, dots, 0);
            }
            for (int j = 0; j < n; j++) {
                float product = shortRows ? dots[j] : VectorMath.dot(rowsOfA, i * k, b, j * k, k);
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

    /**
     * Sets the number of threads the products may use: OpenBLAS's threads, and with more than one
     * the helper thread of the Java kernels (on by default on more than one core). Sweeps that run
     * one run per core pass 1.
     */
    public static void setThreads(int threads) {
        ensureBlas();
        openblas_full.openblas_set_num_threads(threads);
        blasThreads = threads;
        HelperThread.setEnabled(threads > 1);
    }

    /**
     * Runs two independent parts of a computation, each making its products with OpenBLAS on one
     * thread: on this thread and the helper thread at once when the products may use more than one
     * thread and the helper is free, else one after the other here. For work cut into pieces whose
     * products are too small for OpenBLAS's own threads to pay (a convolution's chunks), two halves
     * side by side use the second core where splitting each product does not. Each part must write
     * only its own outputs; as each runs the same operations on whichever thread runs it, the
     * results do not depend on the threads. One caller at a time: OpenBLAS's thread count is
     * global, and a part that calls this again runs its own halves one after the other.
     */
    public static void inHalves(Runnable first, Runnable second) {
        ensureBlas();
        int threads = blasThreads > 0 ? blasThreads : openblas_full.openblas_get_num_threads();
        if (threads <= 1) {
            first.run();
            second.run();
            return;
        }
        if (!HALVES.compareAndSet(false, true)) {
            first.run();
            second.run();
            return;
        }
        try {
            openblas_full.openblas_set_num_threads(1);
            HelperThread.run(first, second);
        } finally {
            openblas_full.openblas_set_num_threads(threads);
            HALVES.set(false);
        }
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
