package org.sgdlab.nn;

import org.sgdlab.autograd.PoolOps;
import org.sgdlab.tensor.Tensor;

/**
 * The mean of each channel over the image: [n, c, h, w] becomes [n, c], y[b, j] = (1 / (h w)) sum
 * over (u, v) of x[b, j, u, v]. It ends the convolutional part of a ResNet whatever the image size.
 */
public final class GlobalAvgPool extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return PoolOps.globalAvgPool(input);
    }
}
