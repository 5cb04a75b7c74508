package org.sgdlab.data;

import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * A regression target made by composing smooth functions, the kind of target on which three-layer
 * networks are shown to beat two-layer ones (Allen-Zhu, Li and Liang, "Learning and generalization
 * in overparameterized neural networks, going beyond two layers", NeurIPS 2019): an outer smooth
 * function of a sum of inner smooth functions of the input.
 *
 * <p>With x uniform on the cube [-1, 1]^d and a frequency omega:
 *
 * <pre>
 * g(x) = sqrt(2 / d) sum_{i=1}^{d} cos(pi x_i)
 * y    = sin(omega g(x))
 * </pre>
 *
 * Each cos(pi x_i) has mean 0 and variance 1/2, so the inner sum g has mean 0 and variance 1 for
 * every d, and omega alone sets how many times the outer sine turns over the range of g (about
 * omega / 1.5 periods over g in [-3, 3]). A network that composes can compute the d inner functions
 * in one layer and the sine of their sum in the next; a two-layer network has to build sin(omega
 * g(x)) from ridge functions of x alone.
 *
 * <p>Targets are the exact values of y, shape [n, 1], without noise and not standardized (sin(omega
 * g) already has mean 0 by symmetry, g being symmetric about 0).
 */
public final class ComposedTarget {
    private ComposedTarget() {}

    /** The inner sum g(x) = sqrt(2/d) sum_i cos(pi x_i) of one input. */
    public static double inner(float[] x, int offset, int dimension) {
        double sum = 0;
        for (int i = 0; i < dimension; i++) {
            sum += Math.cos(Math.PI * x[offset + i]);
        }
        return Math.sqrt(2.0 / dimension) * sum;
    }

    /** The target y = sin(omega g(x)) of one input. */
    public static double value(float[] x, int offset, int dimension, double frequency) {
        return Math.sin(frequency * inner(x, offset, dimension));
    }

    /**
     * Training and test examples drawn together, the training set first: x uniform on [-1, 1]^d
     * from {@code random.derive("inputs")}, y = sin(omega g(x)).
     *
     * @throws IllegalArgumentException when a size is not positive (the test size may be 0) or the
     *     frequency is not a positive finite number
     */
    public static Split split(
            int trainSize, int testSize, int dimension, double frequency, RandomStream random) {
        if (trainSize <= 0 || testSize < 0 || dimension <= 0) {
            throw new IllegalArgumentException(
                    "a composed target needs a positive training size and dimension and a"
                            + " non-negative test size, got n_train="
                            + trainSize
                            + ", n_test="
                            + testSize
                            + ", dimension="
                            + dimension);
        }
        if (!(frequency > 0 && Double.isFinite(frequency))) {
            throw new IllegalArgumentException(
                    "the frequency of a composed target must be a positive number, got "
                            + frequency);
        }
        int n = trainSize + testSize;
        Tensor x = Tensor.uniform(random.derive("inputs"), -1, 1, n, dimension);
        float[] inputs = x.data();
        float[] y = new float[n];
        for (int row = 0; row < n; row++) {
            y[row] = (float) value(inputs, row * dimension, dimension, frequency);
        }
        return Synthetic.split("composed", x, Tensor.wrap(y, n, 1), 0, trainSize);
    }
}
