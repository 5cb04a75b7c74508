package org.sgdlab.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of the Java kernels, written with the JDK's vector API so that they run on the
 * full SIMD width (16 floats with AVX-512 here, 8 with AVX2) instead of the scalar code the JIT
 * emits for them.
 *
 * <p>The JVM must be started with {@code --add-modules jdk.incubator.vector}; the launcher, the
 * tests and the benchmarks do so. The JDK prints one warning about the incubator module at start.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {}

    /** y[yOffset + i] += alpha * x[xOffset + i] for i in [0, length). */
    public static void axpy(
            float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
        FloatVector scale = FloatVector.broadcast(SPECIES, alpha);
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector sum =
                    FloatVector.fromArray(SPECIES, x, xOffset + i)
                            .fma(scale, FloatVector.fromArray(SPECIES, y, yOffset + i));
            sum.intoArray(y, yOffset + i);
        }
        for (; i < length; i++) {
            y[yOffset + i] += alpha * x[xOffset + i];
        }
    }

    /**
     * y[yOffset + i] += a0 b[row0 + i] + a1 b[row1 + i] + a2 b[row2 + i] + a3 b[row3 + i] for i in
     * [0, length): four rows of b per pass, so that y is loaded and stored once for four
     * multiply-adds. A product with a row vector, x W, runs about twice as fast this way as with
     * one {@link #axpy} per row of W, as measured here.
     */
    public static void axpy4(
            float a0,
            float a1,
            float a2,
            float a3,
            float[] b,
            int row0,
            int row1,
            int row2,
            int row3,
            float[] y,
            int yOffset,
            int length) {
        FloatVector scale0 = FloatVector.broadcast(SPECIES, a0);
        FloatVector scale1 = FloatVector.broadcast(SPECIES, a1);
        FloatVector scale2 = FloatVector.broadcast(SPECIES, a2);
        FloatVector scale3 = FloatVector.broadcast(SPECIES, a3);
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector sum = FloatVector.fromArray(SPECIES, y, yOffset + i);
            sum = FloatVector.fromArray(SPECIES, b, row0 + i).fma(scale0, sum);
            sum = FloatVector.fromArray(SPECIES, b, row1 + i).fma(scale1, sum);
            sum = FloatVector.fromArray(SPECIES, b, row2 + i).fma(scale2, sum);
            sum = FloatVector.fromArray(SPECIES, b, row3 + i).fma(scale3, sum);
            sum.intoArray(y, yOffset + i);
        }
        for (; i < length; i++) {
            y[yOffset + i] +=
                    a0 * b[row0 + i] + a1 * b[row1 + i] + a2 * b[row2 + i] + a3 * b[row3 + i];
        }
    }

    /**
     * y[yOffset + i] += alpha x[i] for i in [0, length), for a length of one to two vectors ({@link
     * #columnBlock()}): two vector updates, the second ending where the row ends and overlapping
     * the first, both computed from the values before either is stored, so that the overlap is
     * written twice with the same value. A row this short costs one pass of a loop's overhead
     * otherwise.
     */
    public static void axpyShort(float alpha, float[] x, float[] y, int yOffset, int length) {
        int lanes = SPECIES.length();
        if (length < lanes || length > 2 * lanes) {
            throw new IllegalArgumentException(
                    "a short row holds " + lanes + " to " + 2 * lanes + " values, got " + length);
        }
        FloatVector scale = FloatVector.broadcast(SPECIES, alpha);
        int tail = length - lanes;
        FloatVector head =
                FloatVector.fromArray(SPECIES, x, 0)
                        .fma(scale, FloatVector.fromArray(SPECIES, y, yOffset));
        FloatVector end =
                FloatVector.fromArray(SPECIES, x, tail)
                        .fma(scale, FloatVector.fromArray(SPECIES, y, yOffset + tail));
        head.intoArray(y, yOffset);
        end.intoArray(y, yOffset + tail);
    }

    /**
     * For rows of n values, n below one vector: the shuffles that spread the values of the g =
     * lanes / gcd(n, lanes) consecutive rows held in one vector over the n g / lanes vectors those
     * rows fill, lane l of vector q taking row (q lanes + l) / n.
     */
    private static final VectorShuffle<Float>[][] ROW_SPREADS = rowSpreads();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[][] rowSpreads() {
        int lanes = SPECIES.length();
        VectorShuffle<Float>[][] spreads = new VectorShuffle[lanes][];
        for (int n = 1; n < lanes; n++) {
            int vectors = n / gcd(n, lanes);
            spreads[n] = new VectorShuffle[vectors];
            int[] rows = new int[lanes];
            for (int q = 0; q < vectors; q++) {
                for (int l = 0; l < lanes; l++) {
                    rows[l] = (q * lanes + l) / n;
                }
                spreads[n][q] = VectorShuffle.fromArray(SPECIES, rows, 0);
            }
        }
        return spreads;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * A[i, j] += x[i] (alpha y[j]) for i in [from, to) and j in [0, n), A [m, n] stored row-major,
     * for rows shorter than one vector, such as the weight of an output layer with ten classes: the
     * rows are updated as one flat run, g = lanes / gcd(n, lanes) rows at a time filling n / gcd(n,
     * lanes) whole vectors, each the multiply-add of alpha y repeated along the run with x[i]
     * spread over the lanes of row i; the rows left over run in scalar code.
     */
    public static void addOuterShortRows(
            float alpha, float[] x, float[] y, float[] matrix, int from, int to) {
        int n = y.length;
        int lanes = SPECIES.length();
        if (n < 1 || n >= lanes) {
            throw new IllegalArgumentException(
                    "short rows hold 1 to " + (lanes - 1) + " values, got " + n);
        }
        VectorShuffle<Float>[] spread = ROW_SPREADS[n];
        int vectors = spread.length;
        int rowsPerBlock = vectors * lanes / n;
        float[] repeated = new float[vectors * lanes];
        for (int f = 0; f < repeated.length; f++) {
            repeated[f] = alpha * y[f % n];
        }
        int i = from;
        for (; i + lanes <= to; i += rowsPerBlock) {
            FloatVector rows = FloatVector.fromArray(SPECIES, x, i);
            int offset = i * n;
            for (int q = 0; q < vectors; q++) {
                int at = offset + q * lanes;
                rows.rearrange(spread[q])
                        .fma(
                                FloatVector.fromArray(SPECIES, repeated, q * lanes),
                                FloatVector.fromArray(SPECIES, matrix, at))
                        .intoArray(matrix, at);
            }
        }
        for (; i < to; i++) {
            for (int j = 0; j < n; j++) {
                matrix[i * n + j] += x[i] * repeated[j];
            }
        }
    }

    /** The columns {@link #rowTimesColumns} computes in one pass: two vectors. */
    public static int columnBlock() {
        return 2 * SPECIES.length();
    }

    /**
     * sums[j - column] = sum over p in [0, k) of a[aOffset + p aStride] b[p n + j], for j in
     * [column, min(column + {@link #columnBlock()}, n)): a row vector times a block of columns of a
     * k x n matrix B with short rows, such as the weight of an output layer. Each row of the block
     * is read as two vectors that may run into the next row of B; those lanes are never read back.
     * Rows too close to the end of b for that run in scalar code. sums needs {@link #columnBlock()}
     * values.
     */
    public static void rowTimesColumns(
            float[] a,
            int aOffset,
            int aStride,
            float[] b,
            int k,
            int n,
            int column,
            float[] sums) {
        int lanes = SPECIES.length();
        int width = Math.min(2 * lanes, n - column);
        int reach = b.length - column - 2 * lanes;
        int vectorRows = reach < 0 ? 0 : Math.min(k, reach / n + 1);
        FloatVector low = FloatVector.zero(SPECIES);
        FloatVector high = FloatVector.zero(SPECIES);
        FloatVector lowOdd = FloatVector.zero(SPECIES);
        FloatVector highOdd = FloatVector.zero(SPECIES);
        int p = 0;
        for (; p + 1 < vectorRows; p += 2) {
            FloatVector even = FloatVector.broadcast(SPECIES, a[aOffset + p * aStride]);
            FloatVector odd = FloatVector.broadcast(SPECIES, a[aOffset + (p + 1) * aStride]);
            int row = p * n + column;
            low = FloatVector.fromArray(SPECIES, b, row).fma(even, low);
            high = FloatVector.fromArray(SPECIES, b, row + lanes).fma(even, high);
            lowOdd = FloatVector.fromArray(SPECIES, b, row + n).fma(odd, lowOdd);
            highOdd = FloatVector.fromArray(SPECIES, b, row + n + lanes).fma(odd, highOdd);
        }
        if (p < vectorRows) {
            FloatVector even = FloatVector.broadcast(SPECIES, a[aOffset + p * aStride]);
            int row = p * n + column;
            low = FloatVector.fromArray(SPECIES, b, row).fma(even, low);
            high = FloatVector.fromArray(SPECIES, b, row + lanes).fma(even, high);
            p++;
        }
        low.add(lowOdd).intoArray(sums, 0);
        high.add(highOdd).intoArray(sums, lanes);
        for (; p < k; p++) {
            float value = a[aOffset + p * aStride];
            int row = p * n + column;
            for (int j = 0; j < width; j++) {
                sums[j] += value * b[row + j];
            }
        }
    }

    /**
     * c[cOffset + j] = sum over p in [0, k) of a[aOffset + p] b[j k + p], for j in [0, n): the dot
     * products of one row a with each row of a matrix B [n, k] whose rows are at most {@link
     * #columnBlock()} long, as for the hidden-layer gradient of a small output layer. Each row of B
     * is read as two vectors that may run into the next row; lanes beyond k are set to 0 before the
     * sum, so that values of the next row, infinite or NaN ones included, never enter it. Rows too
     * close to the end of b for that run in scalar code.
     */
    public static void shortRowDots(
            float[] a, int aOffset, float[] b, int n, int k, float[] c, int cOffset) {
        int lanes = SPECIES.length();
        if (k > 2 * lanes) {
            throw new IllegalArgumentException(
                    "rows of at most " + 2 * lanes + " values, got " + k);
        }
        float[] padded = new float[2 * lanes];
        System.arraycopy(a, aOffset, padded, 0, k);
        if (k <= lanes) {
            oneVectorRowDots(padded, b, n, k, c, cOffset);
            return;
        }
        FloatVector low = FloatVector.fromArray(SPECIES, padded, 0);
        FloatVector high = FloatVector.fromArray(SPECIES, padded, lanes);
        VectorMask<Float> insideLow = SPECIES.indexInRange(0, k);
        VectorMask<Float> insideHigh = SPECIES.indexInRange(lanes, k);
        FloatVector zero = FloatVector.zero(SPECIES);
        int reach = b.length - 2 * lanes;
        int vectorRows = reach < 0 ? 0 : Math.min(n, reach / k + 1);
        int j = 0;
        for (; j < vectorRows; j++) {
            int row = j * k;
            FloatVector sum =
                    zero.blend(FloatVector.fromArray(SPECIES, b, row).mul(low), insideLow)
                            .add(
                                    zero.blend(
                                            FloatVector.fromArray(SPECIES, b, row + lanes)
                                                    .mul(high),
                                            insideHigh));
            c[cOffset + j] = sum.reduceLanes(VectorOperators.ADD);
        }
        scalarRowDots(a, aOffset, b, j, n, k, c, cOffset);
    }

    /** {@link #shortRowDots} for rows of at most one vector, a held in padded, zero beyond k. */
    private static void oneVectorRowDots(
            float[] padded, float[] b, int n, int k, float[] c, int cOffset) {
        FloatVector row = FloatVector.fromArray(SPECIES, padded, 0);
        VectorMask<Float> inside = SPECIES.indexInRange(0, k);
        FloatVector zero = FloatVector.zero(SPECIES);
        int reach = b.length - SPECIES.length();
        int vectorRows = reach < 0 ? 0 : Math.min(n, reach / k + 1);
        int j = 0;
        for (; j < vectorRows; j++) {
            FloatVector products = FloatVector.fromArray(SPECIES, b, j * k).mul(row);
            c[cOffset + j] = zero.blend(products, inside).reduceLanes(VectorOperators.ADD);
        }
        scalarRowDots(padded, 0, b, j, n, k, c, cOffset);
    }

    /** The rows [from, n) of {@link #shortRowDots} in scalar code. */
    private static void scalarRowDots(
            float[] a, int aOffset, float[] b, int from, int n, int k, float[] c, int cOffset) {
        for (int j = from; j < n; j++) {
            float sum = 0f;
            for (int p = 0; p < k; p++) {
                sum += a[aOffset + p] * b[j * k + p];
            }
            c[cOffset + j] = sum;
        }
    }

    /** y[yOffset + i] = alpha * x[xOffset + i] for i in [0, length). */
    public static void scaleInto(
            float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
        FloatVector scale = FloatVector.broadcast(SPECIES, alpha);
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xOffset + i).mul(scale).intoArray(y, yOffset + i);
        }
        for (; i < length; i++) {
            y[yOffset + i] = alpha * x[xOffset + i];
        }
    }

    /** The sum of x[xOffset + i] * y[yOffset + i] for i in [0, length). */
    public static float dot(float[] x, int xOffset, float[] y, int yOffset, int length) {
        FloatVector sum = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            sum =
                    FloatVector.fromArray(SPECIES, x, xOffset + i)
                            .fma(FloatVector.fromArray(SPECIES, y, yOffset + i), sum);
        }
        float total = sum.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            total += x[xOffset + i] * y[yOffset + i];
        }
        return total;
    }

    /** The sum of x[offset + i] for i in [0, length). */
    public static float sum(float[] x, int offset, int length) {
        FloatVector total = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            total = total.add(FloatVector.fromArray(SPECIES, x, offset + i));
        }
        float sum = total.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += x[offset + i];
        }
        return sum;
    }

    /** The sum of (x[offset + i] - center)^2 for i in [0, length). */
    public static float sumOfSquares(float[] x, int offset, int length, float center) {
        FloatVector shift = FloatVector.broadcast(SPECIES, center);
        FloatVector total = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector centered = FloatVector.fromArray(SPECIES, x, offset + i).sub(shift);
            total = centered.fma(centered, total);
        }
        float sum = total.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            float centered = x[offset + i] - center;
            sum += centered * centered;
        }
        return sum;
    }

    /** y[yOffset + i] = scale * x[xOffset + i] + shift for i in [0, length). */
    public static void affine(
            float scale, float[] x, int xOffset, float shift, float[] y, int yOffset, int length) {
        FloatVector a = FloatVector.broadcast(SPECIES, scale);
        FloatVector b = FloatVector.broadcast(SPECIES, shift);
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xOffset + i).fma(a, b).intoArray(y, yOffset + i);
        }
        for (; i < length; i++) {
            y[yOffset + i] = scale * x[xOffset + i] + shift;
        }
    }

    /**
     * y[i] = x[i] if x[i] > 0, else 0 (NaN included), for i in [0, length): the ReLU, without the
     * branch per value that random signs mispredict half of the time.
     */
    public static void relu(float[] x, float[] y, int length) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
        }
        for (; i < length; i++) {
            y[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    /**
     * The gradient of the ReLU at x: target[i] (+)= g[i] if x[i] > 0, else 0, adding when
     * accumulate is set and overwriting otherwise.
     */
    public static void reluGradient(
            float[] x, float[] g, float[] target, boolean accumulate, int length) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            VectorMask<Float> positive =
                    FloatVector.fromArray(SPECIES, x, i).compare(VectorOperators.GT, 0f);
            FloatVector passed = zero.blend(FloatVector.fromArray(SPECIES, g, i), positive);
            if (accumulate) {
                passed = passed.add(FloatVector.fromArray(SPECIES, target, i));
            }
            passed.intoArray(target, i);
        }
        for (; i < length; i++) {
            float passed = x[i] > 0f ? g[i] : 0f;
            target[i] = accumulate ? target[i] + passed : passed;
        }
    }

    /**
     * One step of gradient descent with weight decay: w = w - learningRate (g + weightDecay w),
     * over the whole arrays.
     */
    public static void descend(float[] weights, float[] gradient, float learningRate, float decay) {
        FloatVector rate = FloatVector.broadcast(SPECIES, -learningRate);
        FloatVector keep = FloatVector.broadcast(SPECIES, 1f - learningRate * decay);
        int bound = SPECIES.loopBound(weights.length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector w = FloatVector.fromArray(SPECIES, weights, i);
            FloatVector g = FloatVector.fromArray(SPECIES, gradient, i);
            g.fma(rate, w.mul(keep)).intoArray(weights, i);
        }
        for (; i < weights.length; i++) {
            weights[i] = weights[i] * (1f - learningRate * decay) - learningRate * gradient[i];
        }
    }
}
