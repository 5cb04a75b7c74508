package org.sgdlab.autograd;

import java.util.Arrays;
import org.sgdlab.tensor.Gemm;
import org.sgdlab.tensor.Tensor;
import org.sgdlab.tensor.VectorMath;

/**
 * Two-dimensional convolution of images in NCHW layout ([n, c, h, w]), as one matrix product per
 * batch.
 *
 * <p>For an input x of shape [n, c, h, w], a weight W of shape [o, c, kh, kw], an optional bias b
 * of shape [o], stride s, zero padding p and forward factor a:
 *
 * <pre>
 * y[b, j, u, v] = a sum_{i, r, t} W[j, i, r, t] x[b, i, s u + r - p, s v + t - p] + b[j]
 * </pre>
 *
 * with x = 0 outside the image. The output has shape [n, o, oh, ow], with oh = floor((h + 2p - kh)
 * / s) + 1 and ow likewise. This is PyTorch's {@code conv2d} (a cross-correlation), with the weight
 * in PyTorch's layout; the factor a carries the 1/sqrt(c kh kw) of the NTK parameterization.
 *
 * <p>The patches of the whole batch are unrolled (im2col) into a matrix X of shape [c kh kw, n oh
 * ow], row (i, r, t) and column (b, u, v), so that the forward pass is the single product Y = a W X
 * with W viewed as [o, c kh kw], which {@link Gemm} sends to OpenBLAS when it is large; Y, of shape
 * [o, n oh ow], is then permuted to [n, o, oh ow]. The backward pass computes dW = a dY X^T and dX
 * = a W^T dY, and folds dX back onto the image (col2im), adding where patches overlap. X is kept
 * from the forward pass until backward: c kh kw n oh ow floats, kh kw times the size of the input
 * for stride 1.
 */
public final class ConvOps {
    private ConvOps() {}

    /**
     * The convolution of input [n, c, h, w] with weight [o, c, kh, kw] and an optional bias [o].
     */
    public static Tensor conv2d(
            Tensor input, Tensor weight, Tensor bias, int stride, int padding, float scale) {
        Geometry g = Geometry.of(input, weight, bias, stride, padding);
        float[] columns = new float[g.columnsSize()];
        im2col(input.data(), g, columns);
        float[] product = new float[g.outputSize()];
        Gemm.multiply(
                false,
                false,
                g.outChannels,
                g.columnCount(),
                g.patchSize(),
                scale,
                weight.data(),
                columns,
                0f,
                product);
        float[] out = new float[g.outputSize()];
        imageMajor(product, g, out);
        if (bias != null) {
            addBias(out, bias.data(), g);
        }
        Tensor result = Tensor.wrap(out, g.n, g.outChannels, g.outHeight, g.outWidth);

        if (Ops.recording(input, weight, bias)) {
            Tensor[] inputs =
                    bias == null
                            ? new Tensor[] {input, weight}
                            : new Tensor[] {input, weight, bias};
            result.setGradientFunction(
                    node -> backward(node.gradBuffer(), input, weight, bias, g, columns, scale),
                    inputs);
        }
        return result;
    }

    /** The size of a convolution's output along one axis: floor((size + 2p - k) / s) + 1. */
    public static int outputExtent(int size, int kernel, int stride, int padding) {
        return Math.floorDiv(size + 2 * padding - kernel, stride) + 1;
    }

    private static void backward(
            float[] gradOut,
            Tensor input,
            Tensor weight,
            Tensor bias,
            Geometry g,
            float[] columns,
            float scale) {
        float[] gradProduct = new float[g.outputSize()];
        channelMajor(gradOut, g, gradProduct);
        if (weight.requiresGrad()) {
            Ops.accumulateProduct(
                    weight,
                    false,
                    true,
                    g.outChannels,
                    g.patchSize(),
                    g.columnCount(),
                    gradProduct,
                    columns,
                    scale);
        }
        if (input.requiresGrad()) {
            float[] gradColumns = new float[g.columnsSize()];
            Gemm.multiply(
                    true,
                    false,
                    g.patchSize(),
                    g.columnCount(),
                    g.outChannels,
                    scale,
                    weight.data(),
                    gradProduct,
                    0f,
                    gradColumns);
            boolean accumulates = input.gradAccumulates();
            float[] target = input.gradBuffer();
            if (!accumulates) {
                Arrays.fill(target, 0f);
            }
            col2im(gradColumns, g, target);
            input.gradWritten();
        }
        if (bias != null && bias.requiresGrad()) {
            float[] sums = new float[g.outChannels];
            for (int j = 0; j < g.outChannels; j++) {
                double sum = 0;
                for (int q = 0; q < g.columnCount(); q++) {
                    sum += gradProduct[j * g.columnCount() + q];
                }
                sums[j] = (float) sum;
            }
            bias.accumulateGrad(sums);
        }
    }

    /** Unrolls the patches into columns [c kh kw, n oh ow]; columns must be all zero. */
    private static void im2col(float[] image, Geometry g, float[] columns) {
        int columnCount = g.columnCount();
        int plane = g.outPlane();
        for (int i = 0; i < g.inChannels; i++) {
            for (int r = 0; r < g.kernelHeight; r++) {
                for (int t = 0; t < g.kernelWidth; t++) {
                    int row = ((i * g.kernelHeight + r) * g.kernelWidth + t) * columnCount;
                    int first = g.firstColumn(t);
                    int last = g.lastColumn(t);
                    for (int b = 0; b < g.n; b++) {
                        int channel = (b * g.inChannels + i) * g.height * g.width;
                        for (int u = 0; u < g.outHeight; u++) {
                            int y = u * g.stride + r - g.padding;
                            if (y < 0 || y >= g.height || last <= first) {
                                continue;
                            }
                            int source = channel + y * g.width + t - g.padding;
                            int target = row + b * plane + u * g.outWidth;
                            if (g.stride == 1) {
                                System.arraycopy(
                                        image,
                                        source + first,
                                        columns,
                                        target + first,
                                        last - first);
                            } else {
                                for (int v = first; v < last; v++) {
                                    columns[target + v] = image[source + v * g.stride];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Adds the columns [c kh kw, n oh ow] back onto the image positions they were read from. */
    private static void col2im(float[] columns, Geometry g, float[] image) {
        int columnCount = g.columnCount();
        int plane = g.outPlane();
        for (int i = 0; i < g.inChannels; i++) {
            for (int r = 0; r < g.kernelHeight; r++) {
                for (int t = 0; t < g.kernelWidth; t++) {
                    int row = ((i * g.kernelHeight + r) * g.kernelWidth + t) * columnCount;
                    int first = g.firstColumn(t);
                    int last = g.lastColumn(t);
                    for (int b = 0; b < g.n; b++) {
                        int channel = (b * g.inChannels + i) * g.height * g.width;
                        for (int u = 0; u < g.outHeight; u++) {
                            int y = u * g.stride + r - g.padding;
                            if (y < 0 || y >= g.height || last <= first) {
                                continue;
                            }
                            int target = channel + y * g.width + t - g.padding;
                            int source = row + b * plane + u * g.outWidth;
                            if (g.stride == 1) {
                                VectorMath.axpy(
                                        1f,
                                        columns,
                                        source + first,
                                        image,
                                        target + first,
                                        last - first);
                            } else {
                                for (int v = first; v < last; v++) {
                                    image[target + v * g.stride] += columns[source + v];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Permutes [o, n, oh ow] to [n, o, oh ow]. */
    private static void imageMajor(float[] product, Geometry g, float[] out) {
        int plane = g.outPlane();
        for (int b = 0; b < g.n; b++) {
            for (int j = 0; j < g.outChannels; j++) {
                System.arraycopy(
                        product,
                        j * g.columnCount() + b * plane,
                        out,
                        (b * g.outChannels + j) * plane,
                        plane);
            }
        }
    }

    /** Permutes [n, o, oh ow] to [o, n, oh ow]. */
    private static void channelMajor(float[] gradOut, Geometry g, float[] product) {
        int plane = g.outPlane();
        for (int b = 0; b < g.n; b++) {
            for (int j = 0; j < g.outChannels; j++) {
                System.arraycopy(
                        gradOut,
                        (b * g.outChannels + j) * plane,
                        product,
                        j * g.columnCount() + b * plane,
                        plane);
            }
        }
    }

    private static void addBias(float[] out, float[] bias, Geometry g) {
        int plane = g.outPlane();
        for (int b = 0; b < g.n; b++) {
            for (int j = 0; j < g.outChannels; j++) {
                int start = (b * g.outChannels + j) * plane;
                float value = bias[j];
                for (int q = 0; q < plane; q++) {
                    out[start + q] += value;
                }
            }
        }
    }

    /** The extents of one convolution, checked. */
    private record Geometry(
            int n,
            int inChannels,
            int height,
            int width,
            int outChannels,
            int kernelHeight,
            int kernelWidth,
            int stride,
            int padding,
            int outHeight,
            int outWidth) {

        static Geometry of(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
            if (input.rank() != 4) {
                throw new IllegalArgumentException(
                        "conv2d needs an input of shape [n, c, h, w], got "
                                + Arrays.toString(input.shape()));
            }
            if (weight.rank() != 4) {
                throw new IllegalArgumentException(
                        "conv2d needs a weight of shape [out, in, kh, kw], got "
                                + Arrays.toString(weight.shape()));
            }
            if (weight.size(1) != input.size(1)) {
                throw new IllegalArgumentException(
                        "conv2d weight "
                                + Arrays.toString(weight.shape())
                                + " takes "
                                + weight.size(1)
                                + " input channels, got input "
                                + Arrays.toString(input.shape()));
            }
            if (bias != null && bias.numel() != weight.size(0)) {
                throw new IllegalArgumentException(
                        "conv2d bias of shape "
                                + Arrays.toString(bias.shape())
                                + " does not match weight "
                                + Arrays.toString(weight.shape()));
            }
            if (stride < 1 || padding < 0) {
                throw new IllegalArgumentException(
                        "conv2d needs stride >= 1 and padding >= 0, got stride "
                                + stride
                                + " and padding "
                                + padding);
            }
            int kernelHeight = weight.size(2);
            int kernelWidth = weight.size(3);
            int outHeight = outputExtent(input.size(2), kernelHeight, stride, padding);
            int outWidth = outputExtent(input.size(3), kernelWidth, stride, padding);
            if (kernelHeight < 1 || kernelWidth < 1 || outHeight < 1 || outWidth < 1) {
                throw new IllegalArgumentException(
                        "conv2d weight "
                                + Arrays.toString(weight.shape())
                                + " with padding "
                                + padding
                                + " does not fit input "
                                + Arrays.toString(input.shape()));
            }
            Geometry g =
                    new Geometry(
                            input.size(0),
                            input.size(1),
                            input.size(2),
                            input.size(3),
                            weight.size(0),
                            kernelHeight,
                            kernelWidth,
                            stride,
                            padding,
                            outHeight,
                            outWidth);
            long columns = (long) g.patchSize() * g.n * outHeight * outWidth;
            long outputs = (long) g.outChannels * g.n * outHeight * outWidth;
            if (Math.max(columns, outputs) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "conv2d of input "
                                + Arrays.toString(input.shape())
                                + " by weight "
                                + Arrays.toString(weight.shape())
                                + " needs more than 2^31 unrolled values; use smaller batches");
            }
            return g;
        }

        int patchSize() {
            return inChannels * kernelHeight * kernelWidth;
        }

        int outPlane() {
            return outHeight * outWidth;
        }

        int columnCount() {
            return n * outHeight * outWidth;
        }

        int columnsSize() {
            return patchSize() * columnCount();
        }

        int outputSize() {
            return outChannels * columnCount();
        }

        /** The first output column v whose input column s v + t - p is inside the image. */
        int firstColumn(int t) {
            return Math.max(0, Math.floorDiv(padding - t + stride - 1, stride));
        }

        /** One past the last output column v whose input column is inside the image. */
        int lastColumn(int t) {
            return Math.min(outWidth, Math.floorDiv(width + padding - t - 1, stride) + 1);
        }
    }
}
