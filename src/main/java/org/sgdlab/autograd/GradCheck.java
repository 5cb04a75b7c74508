package org.sgdlab.autograd;

import java.util.List;
import java.util.function.Supplier;
import org.sgdlab.tensor.Tensor;

/**
 * Checks reverse-mode gradients against central finite differences.
 *
 * <p>For a scalar function f of the given tensors, each coordinate's derivative is estimated as
 * (f(x + h e_i) - f(x - h e_i)) / (2 h), with f evaluated in float32 as in training, and compared
 * with the gradient from {@code backward()}. The error of a coordinate is |analytic - numeric| /
 * max(1, |analytic|, |numeric|); the check passes when the largest error is at most the tolerance.
 * float32 rounding makes h around 1e-2 to 1e-3 and a tolerance around 1e-2 the right scale;
 * functions with kinks (ReLU, max pooling) must be checked at points away from them.
 */
public final class GradCheck {
    private GradCheck() {}

    /** The largest error over every coordinate of every input. */
    public static double maxError(Supplier<Tensor> function, List<Tensor> inputs, double step) {
        for (Tensor input : inputs) {
            input.requiresGrad(true).zeroGrad();
        }
        function.get().backward();
        double worst = 0;
        for (Tensor input : inputs) {
            Tensor analyticGrad = input.grad();
            float[] analytic =
                    analyticGrad == null ? new float[input.numel()] : analyticGrad.data().clone();
            float[] values = input.data();
            for (int i = 0; i < values.length; i++) {
                float saved = values[i];
                values[i] = (float) (saved + step);
                double plus = evaluate(function);
                values[i] = (float) (saved - step);
                double minus = evaluate(function);
                values[i] = saved;
                double numeric = (plus - minus) / (2 * step);
                double scale = Math.max(1, Math.max(Math.abs(analytic[i]), Math.abs(numeric)));
                worst = Math.max(worst, Math.abs(analytic[i] - numeric) / scale);
            }
        }
        return worst;
    }

    private static double evaluate(Supplier<Tensor> function) {
        try (NoGrad ignored = NoGrad.enter()) {
            return function.get().item();
        }
    }
}
