package org.sgdlab.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of the Java kernels, written with the JDK's vector API so that they run on the
 * full SIMD width (AVX2 here) instead of the scalar code the JIT emits for them.
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

    /** out = max(x, 0) element-wise. */
    public static void relu(float[] x, float[] out) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(x.length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, i).max(zero).intoArray(out, i);
        }
        for (; i < x.length; i++) {
            out[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    /**
     * The gradient of a ReLU from its output y: target (+)= upstream where y > 0, and 0 elsewhere;
     * with {@code accumulate} false the target is overwritten.
     */
    public static void reluBackward(
            float[] output, float[] upstream, float[] target, boolean accumulate) {
        for (int i = 0; i < output.length; i++) {
            float contribution = output[i] > 0f ? upstream[i] : 0f;
            target[i] = accumulate ? target[i] + contribution : contribution;
        }
    }
}
