package org.sgdlab.data;

import java.util.Arrays;
import java.util.Objects;
import org.sgdlab.tensor.Tensor;

/**
 * A named set of n examples: inputs and the targets to predict from them.
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>{@code inputs} has shape [n, f_1, ..., f_k] with k >= 0: one row of features per example,
 *       for instance [n, 784] for flattened Fashion-MNIST images or [n, 3, 32, 32] for CIFAR-10.
 *   <li>For classification ({@code classes > 0}), {@code targets} has shape [n] and holds class
 *       indices 0..classes-1 stored as floats.
 *   <li>For regression ({@code classes == 0}), {@code targets} has shape [n, outputs].
 * </ul>
 *
 * <p>A data set is immutable by convention: the tensors expose their arrays without a copy, and
 * nothing in sgdlab writes into a data set's arrays. Operations that change data ({@link
 * #subset(int[])}, {@link Corruption}) return a new data set with fresh arrays.
 */
public final class Dataset {
    private final String name;
    private final Tensor inputs;
    private final Tensor targets;
    private final int classes;

    /**
     * Checks the shapes against the conventions above and, for classification, that every target is
     * an integer in [0, classes).
     *
     * @throws IllegalArgumentException when the shapes disagree or a label is out of range; the
     *     message names both shapes or the offending row
     */
    public Dataset(String name, Tensor inputs, Tensor targets, int classes) {
        this.name = Objects.requireNonNull(name, "name");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.classes = classes;

        if (classes < 0) {
            throw new IllegalArgumentException(
                    "classes must be positive for classification or 0 for regression, got "
                            + classes);
        }
        if (inputs.rank() < 1) {
            throw new IllegalArgumentException(
                    "inputs must have shape [n, features...], got a rank-0 tensor");
        }
        int expectedRank = classes > 0 ? 1 : 2;
        if (targets.rank() != expectedRank) {
            throw new IllegalArgumentException(
                    (classes > 0
                                    ? "classification targets must have shape [n], got "
                                    : "regression targets must have shape [n, outputs], got ")
                            + Arrays.toString(targets.shape()));
        }
        if (targets.size(0) != inputs.size(0)) {
            throw new IllegalArgumentException(
                    "inputs "
                            + Arrays.toString(inputs.shape())
                            + " and targets "
                            + Arrays.toString(targets.shape())
                            + " must have the same number of rows");
        }
        if (classes > 0) {
            checkLabels(targets.data(), classes);
        }
    }

    private static void checkLabels(float[] labels, int classes) {
        for (int row = 0; row < labels.length; row++) {
            float label = labels[row];
            if (!(label >= 0 && label < classes && label == Math.rint(label))) {
                throw new IllegalArgumentException(
                        "label "
                                + label
                                + " of row "
                                + row
                                + " is not a class index in [0, "
                                + classes
                                + ")");
            }
        }
    }

    /** A short name for reports, for example {@code fashion-mnist-train}. */
    public String name() {
        return name;
    }

    /** The inputs, shape [n, features...]. */
    public Tensor inputs() {
        return inputs;
    }

    /** The targets: shape [n] of class indices, or [n, outputs] for regression. */
    public Tensor targets() {
        return targets;
    }

    /** The number of classes, or 0 for a regression data set. */
    public int classes() {
        return classes;
    }

    /** Whether the targets are class indices. */
    public boolean isClassification() {
        return classes > 0;
    }

    /** The number of examples n. */
    public int size() {
        return inputs.size(0);
    }

    /** The number of features per example: the product of the non-leading input extents. */
    public int inputDim() {
        int[] shape = inputs.shape();
        return Tensor.numel(Arrays.copyOfRange(shape, 1, shape.length));
    }

    /** The width of the model's output: the number of classes, or of regression outputs. */
    public int outputDim() {
        return classes > 0 ? classes : targets.size(1);
    }

    /** A copy of the class indices; only for classification. */
    public int[] labels() {
        if (classes == 0) {
            throw new IllegalStateException(
                    "data set " + name + " is a regression data set and has no class labels");
        }
        float[] values = targets.data();
        int[] labels = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = (int) values[i];
        }
        return labels;
    }

    /** A new data set of the given rows, in the given order, with copied values. */
    public Dataset subset(int[] indices) {
        return new Dataset(name, copyRows(inputs, indices), copyRows(targets, indices), classes);
    }

    /** The first n examples, copied. */
    public Dataset head(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException(
                    "head needs 0 <= n <= " + size() + " for data set " + name + ", got " + n);
        }
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        return subset(indices);
    }

    /**
     * The same data with each input viewed as the given feature shape, without copying, for
     * instance [784] to [1, 28, 28] before a convolution.
     */
    public Dataset reshapeInputs(int... featureShape) {
        int[] shape = new int[featureShape.length + 1];
        shape[0] = size();
        System.arraycopy(featureShape, 0, shape, 1, featureShape.length);
        if (Tensor.numel(featureShape) != inputDim()) {
            throw new IllegalArgumentException(
                    "cannot view inputs "
                            + Arrays.toString(inputs.shape())
                            + " as "
                            + Arrays.toString(shape)
                            + ": the feature count differs");
        }
        return new Dataset(name, inputs.viewAs(shape), targets, classes);
    }

    /** The same data under another name. */
    public Dataset rename(String newName) {
        return new Dataset(newName, inputs, targets, classes);
    }

    private static Tensor copyRows(Tensor source, int[] indices) {
        int rows = source.size(0);
        int width = source.rowSize();
        float[] values = source.data();
        float[] copied = new float[indices.length * width];
        for (int i = 0; i < indices.length; i++) {
            int row = indices[i];
            if (row < 0 || row >= rows) {
                throw new IndexOutOfBoundsException(
                        "row index " + row + " at position " + i + " is outside [0, " + rows + ")");
            }
            System.arraycopy(values, row * width, copied, i * width, width);
        }
        int[] shape = source.shape();
        shape[0] = indices.length;
        return Tensor.wrap(copied, shape);
    }

    @Override
    public String toString() {
        return "Dataset "
                + name
                + ": "
                + size()
                + " examples, inputs "
                + Arrays.toString(inputs.shape())
                + (classes > 0
                        ? ", " + classes + " classes"
                        : ", regression targets " + Arrays.toString(targets.shape()));
    }
}
