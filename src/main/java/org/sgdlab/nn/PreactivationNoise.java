package org.sgdlab.nn;

import java.util.function.LongToDoubleFunction;
import org.sgdlab.autograd.Ops;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * Gaussian noise on pre-activations, placed before a ReLU: in training mode h = z + sigma_t xi with
 * xi ~ N(0, I) drawn afresh for every entry of every forward pass, and h = z in evaluation mode.
 * The gradient passes through unchanged (dh/dz = I), as in a Gaussian dropout layer.
 *
 * <p>sigma_t is a schedule in optimizer steps: on for a phase and then off, or annealed. An {@code
 * org.sgdlab.optim.Schedule} fits as {@code schedule::at}. The module counts its own steps: the
 * t-th forward pass in training mode (t = 0, 1, ...) uses sigma_t. The training loop makes exactly
 * one training-mode forward pass per optimizer step and evaluates in evaluation mode, so t is the
 * optimizer step; code that makes extra training-mode forward passes (several per step, or outside
 * training) advances the count too and should set it with {@link #setStep}. A counter inside the
 * module keeps {@code nn} free of the optimizer and of the training loop, which live in higher
 * layers.
 */
public final class PreactivationNoise extends Module {
    private final LongToDoubleFunction sigma;
    private final RandomStream random;
    private long step;

    /**
     * @param sigma the standard deviation sigma_t at training forward pass t; values must be
     *     non-negative
     * @param random the stream the noise is drawn from
     */
    public PreactivationNoise(LongToDoubleFunction sigma, RandomStream random) {
        this.sigma = sigma;
        this.random = random;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining()) {
            return input;
        }
        long current = step++;
        double scale = sigma.applyAsDouble(current);
        if (!(scale >= 0) || !Double.isFinite(scale)) {
            throw new IllegalStateException(
                    "pre-activation noise needs a finite sigma >= 0, got "
                            + scale
                            + " at step "
                            + current);
        }
        if (scale == 0) {
            return input;
        }
        float[] noise = new float[input.numel()];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (scale * random.nextGaussian());
        }
        return Ops.add(input, Tensor.wrap(noise, input.shape()));
    }

    /** The number of training-mode forward passes so far: the step the next one uses. */
    public long step() {
        return step;
    }

    /** Sets the step the next training-mode forward pass uses. */
    public void setStep(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("the step must be non-negative, got " + value);
        }
        this.step = value;
    }

    /** The standard deviation at a step. */
    public double sigmaAt(long at) {
        return sigma.applyAsDouble(at);
    }
}
