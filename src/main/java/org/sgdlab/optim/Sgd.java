package org.sgdlab.optim;

import java.util.ArrayList;
import java.util.List;
import org.sgdlab.tensor.Gemm;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;
import org.sgdlab.tensor.VectorMath;

/**
 * Stochastic gradient descent, in PyTorch's form.
 *
 * <p>At step t with learning rate eta_t, for each parameter p with gradient g:
 *
 * <pre>
 * g   = g + lambda p                          (weight decay lambda)
 * b_t = mu b_{t-1} + (1 - dampening) g        (momentum mu; b_1 = g)
 * g   = g + mu b_t   if Nesterov, else b_t
 * p   = p - eta_t g + sigma_t sqrt(eta_t) xi  (xi ~ N(0, I), update noise sigma_t)
 * </pre>
 *
 * The momentum buffer is the one of PyTorch's {@code torch.optim.SGD}, not the Sutskever form that
 * scales the buffer by the learning rate, so a change of learning rate acts at once. The noise term
 * is Langevin-style: with sigma = sqrt(2 / beta) the update is a discretized Langevin diffusion at
 * inverse temperature beta. Parameters without a gradient are skipped.
 */
public final class Sgd {
    private final List<Tensor> parameters;
    private final Schedule learningRate;
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;
    private final Schedule updateNoise;
    private final RandomStream noiseRandom;
    private final List<float[]> momentumBuffers = new ArrayList<>();
    private long steps;

    /** Plain SGD with a constant learning rate. */
    public Sgd(List<Tensor> parameters, double learningRate) {
        this(parameters, options().learningRate(learningRate));
    }

    public Sgd(List<Tensor> parameters, Options options) {
        if (options.momentum < 0 || options.momentum >= 1) {
            throw new IllegalArgumentException(
                    "momentum must be in [0, 1), got " + options.momentum);
        }
        if (options.nesterov && (options.momentum == 0 || options.dampening != 0)) {
            throw new IllegalArgumentException(
                    "Nesterov momentum needs momentum > 0 and dampening 0, got momentum "
                            + options.momentum
                            + " and dampening "
                            + options.dampening);
        }
        if (options.weightDecay < 0) {
            throw new IllegalArgumentException(
                    "weight decay must be non-negative, got " + options.weightDecay);
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = options.learningRate;
        this.momentum = options.momentum;
        this.dampening = options.dampening;
        this.nesterov = options.nesterov;
        this.weightDecay = options.weightDecay;
        this.updateNoise = options.updateNoise;
        this.noiseRandom = options.noiseRandom;
        for (int i = 0; i < this.parameters.size(); i++) {
            momentumBuffers.add(null);
        }
    }

    /** Options with a learning rate of 0.01 and everything else off. */
    public static Options options() {
        return new Options();
    }

    /** Clears the gradients of all parameters. */
    public void zeroGrad() {
        for (Tensor parameter : parameters) {
            parameter.zeroGrad();
        }
    }

    /** Applies one update with the current gradients, then advances the step count. */
    public void step() {
        float eta = (float) learningRate.at(steps);
        double sigma = updateNoise == null ? 0 : updateNoise.at(steps);
        for (int index = 0; index < parameters.size(); index++) {
            Tensor parameter = parameters.get(index);
            if (!parameter.hasGrad()) {
                continue;
            }
            if (momentum == 0 && weightDecay == 0 && parameter.hasOuterProductGrad()) {
                descendOuterProduct(parameter, eta, sigma == 0);
                addNoise(parameter, eta, sigma);
                continue;
            }
            float[] p = parameter.data();
            float[] g = parameter.gradBuffer();
            if (momentum == 0) {
                VectorMath.descend(p, g, eta, (float) weightDecay);
            } else {
                float[] direction = momentumDirection(index, p, g);
                VectorMath.axpy(-eta, direction, 0, p, 0, p.length);
            }
            addNoise(parameter, eta, sigma);
        }
        steps++;
    }

    /**
     * p = p - eta c u v^T for a gradient held as the outer product c u v^T: one pass over p, or
     * none where the update may be deferred and the next product of one example with p applies it
     * while reading p (see {@link Tensor#deferOuterProduct}).
     */
    private static void descendOuterProduct(Tensor parameter, float eta, boolean mayDefer) {
        float alpha = -eta * parameter.outerProductScale();
        float[] left = parameter.outerProductLeft();
        float[] right = parameter.outerProductRight();
        if (mayDefer && Gemm.fusesOuterProduct(right.length)) {
            parameter.deferOuterProduct(alpha, left, right);
        } else {
            Gemm.addOuterProduct(alpha, left, right, parameter.data());
        }
    }

    /**
     * p = p + sigma sqrt(eta) xi; reads p only when sigma is positive, leaving a deferred update.
     */
    private void addNoise(Tensor parameter, float eta, double sigma) {
        if (sigma > 0) {
            float[] p = parameter.data();
            float amplitude = (float) (sigma * Math.sqrt(eta));
            for (int i = 0; i < p.length; i++) {
                p[i] += amplitude * (float) noiseRandom.nextGaussian();
            }
        }
    }

    private float[] momentumDirection(int index, float[] p, float[] g) {
        float[] gradient = g;
        if (weightDecay != 0) {
            gradient = g.clone();
            VectorMath.axpy((float) weightDecay, p, 0, gradient, 0, p.length);
        }
        float[] buffer = momentumBuffers.get(index);
        if (buffer == null) {
            buffer = gradient.clone();
            momentumBuffers.set(index, buffer);
        } else {
            float mu = (float) momentum;
            float keep = (float) (1 - dampening);
            for (int i = 0; i < buffer.length; i++) {
                buffer[i] = mu * buffer[i] + keep * gradient[i];
            }
        }
        if (!nesterov) {
            return buffer;
        }
        float[] direction = gradient == g ? g.clone() : gradient;
        VectorMath.axpy((float) momentum, buffer, 0, direction, 0, direction.length);
        return direction;
    }

    /** The number of steps taken. */
    public long stepCount() {
        return steps;
    }

    /** The learning rate the next step will use. */
    public double currentLearningRate() {
        return learningRate.at(steps);
    }

    /** The parameters this optimizer updates. */
    public List<Tensor> parameters() {
        return parameters;
    }

    /** The settings of an {@link Sgd}, with fluent setters. */
    public static final class Options {
        private Schedule learningRate = Schedule.constant(0.01);
        private double momentum;
        private double dampening;
        private boolean nesterov;
        private double weightDecay;
        private Schedule updateNoise;
        private RandomStream noiseRandom;

        /** A constant learning rate; must be positive. */
        public Options learningRate(double rate) {
            if (!(rate > 0) || !Double.isFinite(rate)) {
                throw new IllegalArgumentException(
                        "learning rate must be positive and finite, got " + rate);
            }
            return learningRate(Schedule.constant(rate));
        }

        /** A learning rate that varies with the step. */
        public Options learningRate(Schedule schedule) {
            this.learningRate = schedule;
            return this;
        }

        public Options momentum(double value) {
            this.momentum = value;
            return this;
        }

        public Options dampening(double value) {
            this.dampening = value;
            return this;
        }

        public Options nesterov(boolean enabled) {
            this.nesterov = enabled;
            return this;
        }

        public Options weightDecay(double value) {
            this.weightDecay = value;
            return this;
        }

        /** Isotropic Gaussian noise sigma_t sqrt(eta_t) xi added to every update. */
        public Options updateNoise(Schedule sigma, RandomStream random) {
            this.updateNoise = sigma;
            this.noiseRandom = random;
            return this;
        }
    }
}
