package org.sgdlab.autograd;

import java.util.Arrays;
import java.util.List;
import org.sgdlab.tensor.Tensor;

/**
 * Operations on batches of sequences in batch-major layout [n, T, d]: example, time step, feature.
 * With these and {@link Ops}, a recurrent network unrolls into an ordinary graph, and {@code
 * backward()} on it is backpropagation through time.
 */
public final class SequenceOps {
    private SequenceOps() {}

    /** The values at one time step: x[:, t, :] of a sequence [n, T, d], of shape [n, d]. */
    public static Tensor step(Tensor sequence, int t) {
        if (sequence.rank() != 3) {
            throw new IllegalArgumentException(
                    "step needs a sequence of shape [n, T, d], got "
                            + Arrays.toString(sequence.shape()));
        }
        int n = sequence.size(0);
        int steps = sequence.size(1);
        int d = sequence.size(2);
        if (t < 0 || t >= steps) {
            throw new IndexOutOfBoundsException(
                    "time step "
                            + t
                            + " out of range for sequence "
                            + Arrays.toString(sequence.shape())
                            + "; allowed: 0.."
                            + (steps - 1));
        }
        float[] values = sequence.data();
        float[] out = new float[n * d];
        for (int b = 0; b < n; b++) {
            System.arraycopy(values, (b * steps + t) * d, out, b * d, d);
        }
        Tensor result = Tensor.wrap(out, n, d);

        if (Ops.recording(sequence)) {
            result.setGradientFunction(
                    node -> {
                        float[] g = node.gradBuffer();
                        boolean accumulates = sequence.gradAccumulates();
                        float[] target = sequence.gradBuffer();
                        if (!accumulates) {
                            Arrays.fill(target, 0f);
                        }
                        for (int b = 0; b < n; b++) {
                            int offset = (b * steps + t) * d;
                            for (int i = 0; i < d; i++) {
                                target[offset + i] += g[b * d + i];
                            }
                        }
                        sequence.gradWritten();
                    },
                    sequence);
        }
        return result;
    }

    /** The steps [n, d], T of them, as one sequence [n, T, d]. */
    public static Tensor stack(List<Tensor> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("stack needs at least one time step");
        }
        Tensor first = steps.get(0);
        for (Tensor step : steps) {
            if (step.rank() != 2 || !step.sameShape(first)) {
                throw new IllegalArgumentException(
                        "stack needs steps of one shape [n, d], got "
                                + Arrays.toString(first.shape())
                                + " and "
                                + Arrays.toString(step.shape()));
            }
        }
        return Ops.reshape(Ops.concat(steps, 1), first.size(0), steps.size(), first.size(1));
    }
}
