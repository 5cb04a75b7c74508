package org.sgdlab.nn;

import java.util.Arrays;
import java.util.Locale;
import org.sgdlab.autograd.Ops;
import org.sgdlab.tensor.Tensor;

/**
 * Losses, each a mean over the examples of a batch, so that the learning rate does not change
 * meaning with the batch size.
 *
 * <ul>
 *   <li>{@link #mse}: (1/(n k)) sum_i ||f(x_i) - y_i||^2 over n examples and k outputs, the mean
 *       without the 1/2 (PyTorch's {@code MSELoss}). Class labels are compared one-hot.
 *   <li>{@link #crossEntropy}: (1/n) sum_i [logsumexp_c f_c(x_i) - f_{y_i}(x_i)], computed from the
 *       log-sum-exp shifted by the row maximum, so no logit overflows.
 *   <li>{@link #logistic}: (1/n) sum_i log(1 + exp(-s_i f(x_i))) with s_i = 2 y_i - 1 for labels
 *       y_i in {0, 1}: binary logistic loss on one output.
 * </ul>
 */
public enum Loss {
    MSE("mse"),
    CROSS_ENTROPY("cross-entropy"),
    LOGISTIC("logistic");

    private final String label;

    Loss(String label) {
        this.label = label;
    }

    /** The loss of the outputs against the targets. */
    public Tensor apply(Tensor outputs, Tensor targets) {
        switch (this) {
            case MSE:
                return mse(outputs, targets);
            case CROSS_ENTROPY:
                return crossEntropy(outputs, targets);
            default:
                return logistic(outputs, targets);
        }
    }

    /** The number of network outputs this loss needs for the given number of classes. */
    public int outputsFor(int classes) {
        if (this == LOGISTIC) {
            if (classes != 2) {
                throw new IllegalArgumentException("logistic loss needs 2 classes, got " + classes);
            }
            return 1;
        }
        return classes;
    }

    /** The command-line name: mse, cross-entropy or logistic. */
    public String label() {
        return label;
    }

    /** The loss of a command-line name. */
    public static Loss parse(String text) {
        for (Loss loss : values()) {
            if (loss.label.equals(text.toLowerCase(Locale.ROOT))) {
                return loss;
            }
        }
        throw new IllegalArgumentException(
                "unknown loss '" + text + "'; allowed: mse, cross-entropy, logistic");
    }

    /** The mean squared error; class labels [n] against outputs [n, k] are taken one-hot. */
    public static Tensor mse(Tensor outputs, Tensor targets) {
        Tensor dense = targets;
        if (targets.rank() == 1 && outputs.rank() == 2 && outputs.size(1) > 1) {
            dense = oneHot(targets, outputs.size(1));
        } else if (targets.numel() == outputs.numel() && !targets.sameShape(outputs)) {
            dense = targets.viewAs(outputs.shape());
        }
        if (!dense.sameShape(outputs)) {
            throw new IllegalArgumentException(
                    "mse needs targets shaped like the outputs "
                            + Arrays.toString(outputs.shape())
                            + ", got "
                            + Arrays.toString(targets.shape()));
        }
        return Ops.mean(Ops.pow(Ops.sub(outputs, dense), 2));
    }

    /** Softmax cross-entropy of logits [n, C] against class labels [n]. */
    public static Tensor crossEntropy(Tensor logits, Tensor labels) {
        if (logits.rank() != 2 || labels.numel() != logits.size(0)) {
            throw new IllegalArgumentException(
                    "cross-entropy needs logits [n, classes] and labels [n], got "
                            + Arrays.toString(logits.shape())
                            + " and "
                            + Arrays.toString(labels.shape()));
        }
        int n = logits.size(0);
        int classes = logits.size(1);
        int[] classOf = classIndices(labels, classes);
        float[] z = logits.data();
        float[] probabilities = new float[z.length];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(z[row + c] - max);
                probabilities[row + c] = (float) e;
                sum += e;
            }
            for (int c = 0; c < classes; c++) {
                probabilities[row + c] /= (float) sum;
            }
            total += max + Math.log(sum) - z[row + classOf[i]];
        }
        Tensor loss = Tensor.scalar(total / n);
        if (Ops.recording(logits)) {
            loss.setGradientFunction(
                    node -> {
                        float scale = node.gradBuffer()[0] / n;
                        float[] contribution = new float[z.length];
                        for (int i = 0; i < n; i++) {
                            for (int c = 0; c < classes; c++) {
                                float target = c == classOf[i] ? 1f : 0f;
                                contribution[i * classes + c] =
                                        scale * (probabilities[i * classes + c] - target);
                            }
                        }
                        logits.accumulateGrad(contribution);
                    },
                    logits);
        }
        return loss;
    }

    /** Binary logistic loss of one output per example against labels in {0, 1}. */
    public static Tensor logistic(Tensor outputs, Tensor labels) {
        if (outputs.numel() != labels.numel()) {
            throw new IllegalArgumentException(
                    "logistic loss needs one output per label, got outputs "
                            + Arrays.toString(outputs.shape())
                            + " and labels "
                            + Arrays.toString(labels.shape()));
        }
        int[] classOf = classIndices(labels, 2);
        float[] signs = new float[classOf.length];
        for (int i = 0; i < signs.length; i++) {
            signs[i] = classOf[i] == 1 ? -1f : 1f;
        }
        Tensor margins =
                Ops.mul(
                        outputs.rank() == 1 ? outputs : Ops.reshape(outputs, signs.length),
                        Tensor.wrap(signs, signs.length));
        return Ops.mean(Ops.softplus(margins));
    }

    /** One row per label, with a 1 in the label's column. */
    public static Tensor oneHot(Tensor labels, int classes) {
        int[] classOf = classIndices(labels, classes);
        float[] values = new float[classOf.length * classes];
        for (int i = 0; i < classOf.length; i++) {
            values[i * classes + classOf[i]] = 1f;
        }
        return Tensor.wrap(values, classOf.length, classes);
    }

    /** The predicted class of each row: the arg max, or for one output whether it is positive. */
    public static int[] predictions(Tensor outputs) {
        int n = outputs.rows();
        int width = outputs.rowSize();
        float[] z = outputs.data();
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            if (width == 1) {
                predicted[i] = z[i] > 0f ? 1 : 0;
                continue;
            }
            int best = 0;
            for (int c = 1; c < width; c++) {
                if (z[i * width + c] > z[i * width + best]) {
                    best = c;
                }
            }
            predicted[i] = best;
        }
        return predicted;
    }

    /** The labels as class indices, checked to be whole numbers in [0, classes). */
    public static int[] classIndices(Tensor labels, int classes) {
        float[] values = labels.data();
        int[] indices = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int label = (int) values[i];
            if (label != values[i] || label < 0 || label >= classes) {
                throw new IllegalArgumentException(
                        "label "
                                + values[i]
                                + " at position "
                                + i
                                + " is not a class in 0.."
                                + (classes - 1));
            }
            indices[i] = label;
        }
        return indices;
    }
}
