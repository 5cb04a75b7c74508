package org.sgdlab.data;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * Synthetic data sets generated from a seed. Training and test examples are drawn together from the
 * same distribution, the training set first.
 */
public final class Synthetic {
    private Synthetic() {}

    /** Where the inputs of a synthetic set come from. */
    public enum Inputs {
        /** x ~ N(0, I_d). */
        GAUSSIAN,
        /** x uniform on the unit sphere S^{d-1}: a Gaussian divided by its norm. */
        SPHERE;

        public static Inputs parse(String text) {
            for (Inputs inputs : values()) {
                if (inputs.name().equalsIgnoreCase(text)) {
                    return inputs;
                }
            }
            throw new IllegalArgumentException(
                    "unknown input distribution '" + text + "'; allowed: gaussian, sphere");
        }
    }

    /**
     * Inputs from the distribution with labels uniform over the classes, independent of the inputs:
     * nothing to generalize, everything to memorize. With {@code classes == 0} the targets are N(0,
     * 1) regression values of shape [n, 1].
     */
    public static Split randomLabels(
            int trainSize,
            int testSize,
            int dimension,
            int classes,
            Inputs inputs,
            RandomStream random) {
        checkSizes(trainSize, testSize, dimension);
        int n = trainSize + testSize;
        Tensor x = inputs(n, dimension, inputs, random.derive("inputs"));
        RandomStream labels = random.derive("labels");
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = classes > 0 ? labels.nextInt(classes) : (float) labels.nextGaussian();
        }
        Tensor targets = classes > 0 ? Tensor.wrap(y, n) : Tensor.wrap(y, n, 1);
        return split("random-labels", x, targets, classes, trainSize);
    }

    /**
     * Labels from a two-layer teacher network with k hidden units: f*(x) = (1/sqrt(k)) sum_j a_j
     * sigma(w_j . x), with w_j ~ N(0, I/d) so that w_j . x has unit variance on Gaussian inputs,
     * and a_j ~ N(0, 1). Regression targets ({@code classes == 0}) are f*(x) standardized to mean 0
     * and variance 1 over the drawn examples; for classification ({@code classes == 2}) the label
     * is 1 when the standardized value is positive. A share {@code labelNoise} of the training
     * labels is then replaced: regression targets by N(0, 1) draws, class labels by a fair coin.
     *
     * @param activation sin, cos, exp, tanh, sigmoid, square, cube or relu
     */
    public static Split teacher(
            int trainSize,
            int testSize,
            int dimension,
            int hiddenUnits,
            String activation,
            int classes,
            double labelNoise,
            Inputs inputs,
            RandomStream random) {
        checkSizes(trainSize, testSize, dimension);
        if (hiddenUnits <= 0) {
            throw new IllegalArgumentException(
                    "the teacher needs at least one hidden unit, got " + hiddenUnits);
        }
        if (classes != 0 && classes != 2) {
            throw new IllegalArgumentException(
                    "a teacher gives regression (classes 0) or two classes, got " + classes);
        }
        if (labelNoise < 0 || labelNoise > 1) {
            throw new IllegalArgumentException("label noise must be in [0, 1], got " + labelNoise);
        }
        DoubleUnaryOperator sigma = activation(activation);
        int n = trainSize + testSize;
        Tensor x = inputs(n, dimension, inputs, random.derive("inputs"));
        RandomStream weights = random.derive("teacher");
        double[][] w = new double[hiddenUnits][dimension];
        double[] a = new double[hiddenUnits];
        for (int j = 0; j < hiddenUnits; j++) {
            for (int i = 0; i < dimension; i++) {
                w[j][i] = weights.nextGaussian() / Math.sqrt(dimension);
            }
            a[j] = weights.nextGaussian();
        }
        double scale = inputs == Inputs.SPHERE ? Math.sqrt(dimension) : 1;

        double[] values = new double[n];
        float[] data = x.data();
        for (int row = 0; row < n; row++) {
            double sum = 0;
            for (int j = 0; j < hiddenUnits; j++) {
                double dot = 0;
                for (int i = 0; i < dimension; i++) {
                    dot += w[j][i] * data[row * dimension + i];
                }
                sum += a[j] * sigma.applyAsDouble(scale * dot);
            }
            values[row] = sum / Math.sqrt(hiddenUnits);
        }
        standardize(values);

        RandomStream noise = random.derive("label-noise");
        float[] y = new float[n];
        for (int row = 0; row < n; row++) {
            boolean corrupt = row < trainSize && noise.nextDouble() < labelNoise;
            if (classes == 0) {
                y[row] = (float) (corrupt ? noise.nextGaussian() : values[row]);
            } else {
                y[row] = corrupt ? noise.nextInt(2) : values[row] > 0 ? 1 : 0;
            }
        }
        Tensor targets = classes == 0 ? Tensor.wrap(y, n, 1) : Tensor.wrap(y, n);
        return split("teacher-" + activation, x, targets, classes, trainSize);
    }

    /**
     * Structured classification in the sense of Li and Liang (2018): each class is a mixture of
     * {@code clustersPerClass} small clusters. Cluster centres are drawn on the sphere of radius 1
     * in d dimensions, redrawn until every two centres are at least {@code separation} apart;
     * points are their centre plus N(0, (radius^2 / d) I), so a cluster's typical radius is {@code
     * radius}. In d = 2 with two classes and two clusters each, a separation of 1.4 gives the XOR
     * of four balls.
     */
    public static Split mixture(
            int trainSize,
            int testSize,
            int dimension,
            int classes,
            int clustersPerClass,
            double radius,
            double separation,
            RandomStream random) {
        checkSizes(trainSize, testSize, dimension);
        if (classes < 2 || clustersPerClass < 1) {
            throw new IllegalArgumentException(
                    "a mixture needs at least 2 classes and 1 cluster per class, got "
                            + classes
                            + " and "
                            + clustersPerClass);
        }
        int clusters = classes * clustersPerClass;
        double[][] centres = centres(clusters, dimension, separation, random.derive("centres"));
        RandomStream points = random.derive("points");
        int n = trainSize + testSize;
        float[] x = new float[n * dimension];
        float[] y = new float[n];
        double spread = radius / Math.sqrt(dimension);
        for (int row = 0; row < n; row++) {
            int cluster = points.nextInt(clusters);
            y[row] = cluster % classes;
            for (int i = 0; i < dimension; i++) {
                x[row * dimension + i] =
                        (float) (centres[cluster][i] + spread * points.nextGaussian());
            }
        }
        return split(
                "mixture", Tensor.wrap(x, n, dimension), Tensor.wrap(y, n), classes, trainSize);
    }

    /** n inputs of dimension d from the distribution. */
    public static Tensor inputs(int n, int dimension, Inputs inputs, RandomStream random) {
        Tensor x = Tensor.gaussian(random, 1, n, dimension);
        if (inputs == Inputs.SPHERE) {
            float[] data = x.data();
            for (int row = 0; row < n; row++) {
                double norm = 0;
                for (int i = 0; i < dimension; i++) {
                    norm += data[row * dimension + i] * data[row * dimension + i];
                }
                float inverse = (float) (1 / Math.sqrt(norm));
                for (int i = 0; i < dimension; i++) {
                    data[row * dimension + i] *= inverse;
                }
            }
        }
        return x;
    }

    /** The activation of a teacher by name. */
    public static DoubleUnaryOperator activation(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "sin":
                return Math::sin;
            case "cos":
                return Math::cos;
            case "exp":
                return Math::exp;
            case "tanh":
                return Math::tanh;
            case "sigmoid":
                return v -> 1 / (1 + Math.exp(-v));
            case "square":
                return v -> v * v;
            case "cube":
                return v -> v * v * v;
            case "relu":
                return v -> Math.max(v, 0);
            default:
                throw new IllegalArgumentException(
                        "unknown teacher activation '"
                                + name
                                + "'; allowed: sin, cos, exp, tanh, sigmoid, square, cube, relu");
        }
    }

    private static double[][] centres(
            int count, int dimension, double separation, RandomStream random) {
        double[][] centres = new double[count][];
        for (int attempt = 0; attempt < 10_000; attempt++) {
            boolean separated = true;
            for (int c = 0; c < count && separated; c++) {
                centres[c] = unitVector(dimension, random);
                for (int other = 0; other < c && separated; other++) {
                    separated = distance(centres[c], centres[other]) >= separation;
                }
            }
            if (separated) {
                return centres;
            }
        }
        throw new IllegalArgumentException(
                "cannot place "
                        + count
                        + " cluster centres on the unit sphere in "
                        + dimension
                        + " dimensions at least "
                        + separation
                        + " apart; lower the separation");
    }

    private static double[] unitVector(int dimension, RandomStream random) {
        double[] v = new double[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = random.nextGaussian();
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < dimension; i++) {
            v[i] /= norm;
        }
        return v;
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    private static void standardize(double[] values) {
        double mean = 0;
        for (double value : values) {
            mean += value;
        }
        mean /= values.length;
        double variance = 0;
        for (double value : values) {
            variance += (value - mean) * (value - mean);
        }
        double std = Math.sqrt(variance / values.length);
        for (int i = 0; i < values.length; i++) {
            values[i] = std > 0 ? (values[i] - mean) / std : 0;
        }
    }

    /** Cuts the first trainSize rows into the training set and the rest into the test set. */
    static Split split(String name, Tensor x, Tensor targets, int classes, int trainSize) {
        int n = x.size(0);
        int[] train = new int[trainSize];
        int[] test = new int[n - trainSize];
        for (int i = 0; i < n; i++) {
            if (i < trainSize) {
                train[i] = i;
            } else {
                test[i - trainSize] = i;
            }
        }
        Dataset all = new Dataset(name, x, targets, classes);
        return new Split(all.subset(train), all.subset(test));
    }

    private static void checkSizes(int trainSize, int testSize, int dimension) {
        if (trainSize <= 0 || testSize < 0 || dimension <= 0) {
            throw new IllegalArgumentException(
                    "a synthetic set needs a positive training size and dimension and a"
                            + " non-negative test size, got n_train="
                            + trainSize
                            + ", n_test="
                            + testSize
                            + ", dimension="
                            + dimension);
        }
    }
}
