package org.sgdlab.nn;

import org.sgdlab.autograd.ConvOps;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * A two-dimensional convolution layer on images [n, c, h, w] with square k x k kernels: y = a W * x
 * + b, the cross-correlation of {@link ConvOps#conv2d}, with a the scheme's forward factor (1, or
 * 1/sqrt(c k k) under NTK).
 *
 * <p>The weight W has PyTorch's layout [out, in, k, k], which is also the [out, in k k] matrix that
 * multiplies the unrolled patches. It is drawn from the initialization scheme with fan-in in k k
 * (He by default in the builders), and the bias, when present, starts at zero.
 */
public final class Conv2d extends Module {
    private final Tensor weight;
    private final Tensor bias;
    private final int stride;
    private final int padding;
    private final float scale;

    /** A layer of kernelSize x kernelSize kernels drawn from the scheme, with zero padding. */
    public Conv2d(
            int inChannels,
            int outChannels,
            int kernelSize,
            int stride,
            int padding,
            boolean withBias,
            Init init,
            RandomStream random) {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0) {
            throw new IllegalArgumentException(
                    "a convolution needs positive sizes, got in="
                            + inChannels
                            + ", out="
                            + outChannels
                            + ", kernel="
                            + kernelSize);
        }
        if (stride < 1 || padding < 0) {
            throw new IllegalArgumentException(
                    "a convolution needs stride >= 1 and padding >= 0, got stride "
                            + stride
                            + " and padding "
                            + padding);
        }
        int fanIn = inChannels * kernelSize * kernelSize;
        Tensor w = Tensor.zeros(outChannels, inChannels, kernelSize, kernelSize);
        init.fill(w.data(), fanIn, random);
        this.weight = registerParameter("weight", w);
        this.bias = withBias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        this.stride = stride;
        this.padding = padding;
        this.scale = init.forwardScale(fanIn);
    }

    @Override
    public Tensor forward(Tensor input) {
        return ConvOps.conv2d(input, weight, bias, stride, padding, scale);
    }

    /** W, of shape [out, in, k, k]. */
    public Tensor weight() {
        return weight;
    }

    /** b, or null for a layer without bias. */
    public Tensor bias() {
        return bias;
    }

    /** The forward factor a. */
    public float scale() {
        return scale;
    }

    public int inChannels() {
        return weight.size(1);
    }

    public int outChannels() {
        return weight.size(0);
    }

    public int kernelSize() {
        return weight.size(2);
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    /** The output extent for an input extent: floor((size + 2 padding - k) / stride) + 1. */
    public int outputExtent(int size) {
        return ConvOps.outputExtent(size, kernelSize(), stride, padding);
    }
}
