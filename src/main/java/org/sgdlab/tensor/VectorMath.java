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
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(output.length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            VectorMask<Float> inactive =
                    FloatVector.fromArray(SPECIES, output, i).compare(VectorOperators.LE, 0f);
            FloatVector contribution =
                    FloatVector.fromArray(SPECIES, upstream, i).blend(zero, inactive);
            if (accumulate) {
                contribution = contribution.add(FloatVector.fromArray(SPECIES, target, i));
            }
            contribution.intoArray(target, i);
        }
        for (; i < output.length; i++) {
            float contribution = output[i] > 0f ? upstream[i] : 0f;
            target[i] = accumulate ? target[i] + contribution : contribution;
        }
    }
}
