package org.sgdlab.nn;

import org.sgdlab.autograd.Ops;
import org.sgdlab.tensor.Tensor;

/**
 * Keeps the leading (example) axis and joins all others: [n, c, h, w] becomes [n, c h w] in
 * row-major order, as PyTorch's {@code nn.Flatten} does.
 */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor input) {
        if (input.rank() < 1) {
            throw new IllegalArgumentException("flatten needs a batch, got a scalar");
        }
        return Ops.reshape(input, input.rows(), input.rowSize());
    }
}
