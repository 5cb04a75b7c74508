package org.sgdlab.nn;

import org.sgdlab.autograd.PoolOps;
import org.sgdlab.tensor.Tensor;

/**
 * The maximum over k x k windows moved by a stride, on images [n, c, h, w]; see {@link PoolOps}.
 */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;

    /** Windows of kernel x kernel values, moved by the stride, without padding. */
    public MaxPool2d(int kernel, int stride) {
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException(
                    "max pooling needs kernel >= 1 and stride >= 1, got kernel "
                            + kernel
                            + " and stride "
                            + stride);
        }
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolOps.maxPool2d(input, kernel, stride);
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }
}
