package org.sgdlab.nn;

import org.sgdlab.autograd.NormOps;
import org.sgdlab.tensor.Tensor;

/**
 * Batch normalization over axis 1: the features of [n, f] (PyTorch's {@code BatchNorm1d}) or the
 * channels of images [n, c, h, w] ({@code BatchNorm2d}); the formulas are those of {@link NormOps}.
 *
 * <p>In training mode ({@link #isTraining()}) the layer normalizes with the statistics of the batch
 * (mean and biased variance) and moves its running statistics towards them with momentum 0.1:
 * running = 0.9 running + 0.1 batch, with the unbiased variance, as PyTorch does. In evaluation
 * mode it normalizes with the running statistics. Epsilon is 1e-5. The scale gamma starts at 1 and
 * the shift beta at 0; both are parameters. The running statistics start at mean 0 and variance 1
 * and are buffers ({@code running_mean}, {@code running_var}): saved with the model, not trained.
 */
public final class BatchNorm extends Module {
    /** PyTorch's default momentum of the running statistics. */
    public static final double DEFAULT_MOMENTUM = 0.1;

    /** PyTorch's default epsilon. */
    public static final double DEFAULT_EPSILON = 1e-5;

    private final Tensor gamma;
    private final Tensor beta;
    private final Tensor runningMean;
    private final Tensor runningVariance;
    private final double momentum;
    private final double epsilon;

    /** A layer over the given number of features or channels, with PyTorch's defaults. */
    public BatchNorm(int channels) {
        this(channels, DEFAULT_MOMENTUM, DEFAULT_EPSILON);
    }

    /** A layer with explicit momentum m of the running statistics and epsilon. */
    public BatchNorm(int channels, double momentum, double epsilon) {
        if (channels <= 0) {
            throw new IllegalArgumentException(
                    "batch norm needs a positive number of channels, got " + channels);
        }
        if (!(momentum >= 0 && momentum <= 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException(
                    "batch norm needs momentum in [0, 1] and epsilon > 0, got momentum "
                            + momentum
                            + " and epsilon "
                            + epsilon);
        }
        this.gamma = registerParameter("weight", Tensor.full(1, channels));
        this.beta = registerParameter("bias", Tensor.zeros(channels));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(channels));
        this.runningVariance = registerBuffer("running_var", Tensor.full(1, channels));
        this.momentum = momentum;
        this.epsilon = epsilon;
    }

    @Override
    public Tensor forward(Tensor input) {
        return NormOps.batchNorm(
                input, gamma, beta, runningMean, runningVariance, isTraining(), momentum, epsilon);
    }

    /** The scale gamma, named {@code weight} as in PyTorch. */
    public Tensor gamma() {
        return gamma;
    }

    /** The shift beta, named {@code bias} as in PyTorch. */
    public Tensor beta() {
        return beta;
    }

    /** The running mean, updated in place by every training-mode forward pass. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance, updated in place by every training-mode forward pass. */
    public Tensor runningVariance() {
        return runningVariance;
    }

    public int channels() {
        return gamma.numel();
    }
}
