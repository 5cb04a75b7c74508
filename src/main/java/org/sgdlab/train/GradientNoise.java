package org.sgdlab.train;

import java.util.List;
import org.sgdlab.data.Dataset;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Module;
import org.sgdlab.tensor.Tensor;

/**
 * The noise of a minibatch gradient, from the per-example gradients of a model on a data set.
 *
 * <p>With g_i the gradient of the loss on example i alone, g the mean over the N examples and D the
 * number of trainable parameters, the per-example covariance is Sigma = (1/N) sum_i (g_i - g)(g_i -
 * g)^T. A batch of B distinct examples drawn at random has a mean gradient g_B with Cov(g_B) = (N -
 * B) / (B (N - 1)) Sigma, the covariance of a sample mean drawn without replacement, which is what
 * reshuffling every epoch draws. The per-coordinate variance is
 *
 * <pre>
 * v = tr Cov(g_B) / D = (N - B) / (B (N - 1)) (1 / (N D)) sum_i ||g_i - g||^2
 * </pre>
 *
 * so that an SGD step at learning rate eta carries noise -eta (g_B - g) of expected squared norm
 * eta^2 v D. The loss is the mean over a batch, as every {@link Loss} is. The sum is computed as
 * sum_i ||g_i||^2 - N ||g||^2 in double precision, without keeping the per-example gradients.
 */
public final class GradientNoise {
    private GradientNoise() {}

    /**
     * v, the per-coordinate variance of the gradient of a batch of batchSize examples at the
     * model's current weights; the weights are not changed and the gradients are cleared after.
     */
    public static double batchVariance(Module model, Loss loss, Dataset data, int batchSize) {
        int n = data.size();
        if (batchSize < 1 || batchSize > n) {
            throw new IllegalArgumentException(
                    "batchSize must be in [1, " + n + "] for " + n + " examples, got " + batchSize);
        }
        if (n < 2) {
            throw new IllegalArgumentException(
                    "gradient noise needs at least 2 examples, got " + n);
        }
        List<Tensor> parameters = model.trainableParameters();
        int count = 0;
        for (Tensor parameter : parameters) {
            count += parameter.numel();
        }
        double[] sum = new double[count];
        double squares = 0;
        for (int i = 0; i < n; i++) {
            Dataset one = data.subset(new int[] {i});
            model.zeroGrad();
            loss.apply(model.forward(one.inputs()), one.targets()).backward();
            int offset = 0;
            for (Tensor parameter : parameters) {
                if (parameter.hasGrad()) {
                    float[] values = parameter.grad().data();
                    for (int k = 0; k < values.length; k++) {
                        sum[offset + k] += values[k];
                        squares += (double) values[k] * values[k];
                    }
                }
                offset += parameter.numel();
            }
        }
        model.zeroGrad();

        double meanSquares = 0;
        for (double value : sum) {
            meanSquares += (value / n) * (value / n);
        }
        double perExample = (squares / n - meanSquares) / count;
        return (n - batchSize) / (batchSize * (n - 1.0)) * perExample;
    }
}
