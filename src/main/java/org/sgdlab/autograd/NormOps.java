package org.sgdlab.autograd;

import java.util.Arrays;
import org.sgdlab.tensor.Tensor;
import org.sgdlab.tensor.VectorMath;

/**
 * Batch normalization (Ioffe and Szegedy, 2015) over the channel axis 1 of a tensor [n, c, ...]:
 * features of [n, f], channels of images [n, c, h, w].
 *
 * <p>For channel j, with the M = n * (values per example and channel) entries x_1..x_M of that
 * channel, learnable scale gamma_j and shift beta_j, and epsilon:
 *
 * <pre>
 * y = gamma_j (x - mu_j) / sqrt(sigma2_j + epsilon) + beta_j
 * </pre>
 *
 * In training mode mu_j and sigma2_j are the batch mean and the biased batch variance (1/M) sum (x
 * - mu_j)^2, gradients flow through both, and the running statistics move towards them with
 * momentum m, in PyTorch's convention: running_mean = (1 - m) running_mean + m mu_j and running_var
 * = (1 - m) running_var + m sigma2_j M / (M - 1), the unbiased variance, so that m = 0.1 keeps
 * about the last ten batches. The update happens on every training-mode call, inside a {@link
 * NoGrad} scope too, as in PyTorch. In evaluation mode mu_j and sigma2_j are the running
 * statistics, which stay unchanged.
 *
 * <p>The backward pass in training mode, with xhat = (x - mu) / sqrt(sigma2 + epsilon) and dxhat =
 * gamma dy:
 *
 * <pre>
 * dx     = (1 / (M sqrt(sigma2 + epsilon))) (M dxhat - sum dxhat - xhat sum(dxhat xhat))
 * dgamma = sum dy xhat,   dbeta = sum dy
 * </pre>
 */
public final class NormOps {
    private NormOps() {}

    /** Batch normalization of input [n, c, ...] over axis 1; every other tensor has c values. */
    public static Tensor batchNorm(
            Tensor input,
            Tensor gamma,
            Tensor beta,
            Tensor runningMean,
            Tensor runningVariance,
            boolean training,
            double momentum,
            double epsilon) {
        checkShapes(input, gamma, beta, runningMean, runningVariance);
        if (!(momentum >= 0 && momentum <= 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException(
                    "batch norm needs momentum in [0, 1] and epsilon > 0, got momentum "
                            + momentum
                            + " and epsilon "
                            + epsilon);
        }
        int n = input.size(0);
        int channels = input.size(1);
        int inner = input.numel() / Math.max(n * channels, 1);
        int count = n * inner;
        if (training && count < 2) {
            throw new IllegalArgumentException(
                    "batch norm in training mode needs more than one value per channel, got input "
                            + Arrays.toString(input.shape()));
        }
        float[] x = input.data();
        float[] mean = new float[channels];
        float[] inverseStd = new float[channels];
        if (training) {
            double[] variance = batchStatistics(x, n, channels, inner, mean);
            float[] running = runningMean.data();
            float[] runningVar = runningVariance.data();
            for (int j = 0; j < channels; j++) {
                inverseStd[j] = (float) (1 / Math.sqrt(variance[j] + epsilon));
                double unbiased = variance[j] * count / (count - 1);
                running[j] = (float) ((1 - momentum) * running[j] + momentum * mean[j]);
                runningVar[j] = (float) ((1 - momentum) * runningVar[j] + momentum * unbiased);
            }
        } else {
            float[] running = runningMean.data();
            float[] runningVar = runningVariance.data();
            for (int j = 0; j < channels; j++) {
                mean[j] = running[j];
                inverseStd[j] = (float) (1 / Math.sqrt(runningVar[j] + epsilon));
            }
        }
        float[] normalized = new float[x.length];
        float[] out = new float[x.length];
        float[] scale = gamma.data();
        float[] shift = beta.data();
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < channels; j++) {
                int start = (b * channels + j) * inner;
                float invStd = inverseStd[j];
                VectorMath.affine(invStd, x, start, -mean[j] * invStd, normalized, start, inner);
                VectorMath.affine(scale[j], normalized, start, shift[j], out, start, inner);
            }
        }
        Tensor result = Tensor.wrap(out, input.shape());

        if (Ops.recording(input, gamma, beta)) {
            result.setGradientFunction(
                    node ->
                            backward(
                                    node.gradBuffer(),
                                    input,
                                    gamma,
                                    beta,
                                    normalized,
                                    inverseStd,
                                    training,
                                    inner),
                    input,
                    gamma,
                    beta);
        }
        return result;
    }

    /**
     * Writes the batch means into mean and returns the biased batch variances, from two passes: the
     * mean, then the squared deviations from it, each summed in float per plane and in double over
     * the planes.
     */
    private static double[] batchStatistics(
            float[] x, int n, int channels, int inner, float[] mean) {
        int count = n * inner;
        double[] variance = new double[channels];
        for (int j = 0; j < channels; j++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                sum += VectorMath.sum(x, (b * channels + j) * inner, inner);
            }
            mean[j] = (float) (sum / count);
            double squares = 0;
            for (int b = 0; b < n; b++) {
                squares += VectorMath.sumOfSquares(x, (b * channels + j) * inner, inner, mean[j]);
            }
            variance[j] = squares / count;
        }
        return variance;
    }

    private static void backward(
            float[] g,
            Tensor input,
            Tensor gamma,
            Tensor beta,
            float[] normalized,
            float[] inverseStd,
            boolean training,
            int inner) {
        int n = input.size(0);
        int channels = input.size(1);
        int count = n * inner;
        float[] scale = gamma.data();
        double[] gradSum = new double[channels];
        double[] gradDotNormalized = new double[channels];
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < channels; j++) {
                int start = (b * channels + j) * inner;
                gradSum[j] += VectorMath.sum(g, start, inner);
                gradDotNormalized[j] += VectorMath.dot(g, start, normalized, start, inner);
            }
        }
        if (input.requiresGrad()) {
            boolean accumulates = input.gradAccumulates();
            float[] target = input.gradBuffer();
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < channels; j++) {
                    int start = (b * channels + j) * inner;
                    float factor = scale[j] * inverseStd[j];
                    float meanGrad = training ? (float) (gradSum[j] / count) : 0f;
                    float meanProjection = training ? (float) (gradDotNormalized[j] / count) : 0f;
                    if (accumulates) {
                        VectorMath.axpy(factor, g, start, target, start, inner);
                        VectorMath.affine(
                                1f, target, start, -factor * meanGrad, target, start, inner);
                    } else {
                        VectorMath.affine(
                                factor, g, start, -factor * meanGrad, target, start, inner);
                    }
                    VectorMath.axpy(
                            -factor * meanProjection, normalized, start, target, start, inner);
                }
            }
            input.gradWritten();
        }
        if (gamma.requiresGrad()) {
            gamma.accumulateGrad(toFloats(gradDotNormalized));
        }
        if (beta.requiresGrad()) {
            beta.accumulateGrad(toFloats(gradSum));
        }
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static void checkShapes(Tensor input, Tensor... perChannel) {
        if (input.rank() < 2) {
            throw new IllegalArgumentException(
                    "batch norm needs an input of shape [n, c, ...], got "
                            + Arrays.toString(input.shape()));
        }
        int channels = input.size(1);
        for (Tensor tensor : perChannel) {
            if (tensor.numel() != channels) {
                throw new IllegalArgumentException(
                        "batch norm of input "
                                + Arrays.toString(input.shape())
                                + " needs "
                                + channels
                                + " values per statistic and parameter, got shape "
                                + Arrays.toString(tensor.shape()));
            }
        }
    }
}
