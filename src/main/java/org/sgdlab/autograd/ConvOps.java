package org.sgdlab.autograd;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.sgdlab.tensor.DirectConvolution;
import org.sgdlab.tensor.Gemm;
import org.sgdlab.tensor.Tensor;
import org.sgdlab.tensor.VectorMath;

/**
 * Two-dimensional convolution of images in NCHW layout ([n, c, h, w]), as matrix products on
 * unrolled patches (im2col), or straight from the images for stride-one layers with few values per
 * patch.
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
 * <p>The patches of a chunk of images are unrolled into a matrix X of shape [c kh kw, images oh
 * ow], row (i, r, t) and column (b, u, v), so that the chunk's forward pass is one product Y = a W
 * X with W viewed as [o, c kh kw]; Y, of shape [o, images oh ow], is then permuted into [n, o, oh,
 * ow]. The backward pass computes dW = a dY X^T, summed over the chunks, and dX = a W^T dY, folded
 * back onto the image (col2im) by adding where patches overlap. A chunk holds as many images as fit
 * 2^18 unrolled values and as many product values (twenty 28x28 images for a 3x3 layer from one
 * channel to 16, two from 16 channels to 16): small enough to stay in cache between the unrolling
 * and the product, large enough for the products to stay efficient.
 *
 * <p>A stride-one convolution with at most {@value #DIRECT_PATCH} values per patch (a 3x3 kernel on
 * up to three channels: the first layer of an image network) runs as a {@link DirectConvolution}
 * instead: its product on unrolled patches would have so few rows that unrolling the patches costs
 * more than the product. Measured here at batch 64 on 28x28 images with 16 output channels, forward
 * and backward with the input gradient: 3.0 ms directly against 6.0 ms unrolled for one input
 * channel; from three to five channels the two ran alike, and at eight the unrolled form was faster
 * (11.6 against 13.6 ms).
 *
 * <p>Large products run in OpenBLAS on direct buffers of a per-thread workspace, which the binding
 * passes without copying (see {@link Gemm#blas(boolean, boolean, int, int, int, float,
 * java.nio.FloatBuffer, java.nio.FloatBuffer, float, java.nio.FloatBuffer)}); small ones, as {@link
 * Gemm#prefersBlas} decides for a chunk, in the plain-Java loops. The backward pass unrolls X again
 * instead of keeping it from the forward pass, so a convolution holds no memory beyond its output
 * between the two passes, at the price of one more pass over the input.
 *
 * <p>Where the products may use more than one thread ({@link Gemm#setThreads}), the first and the
 * second half of the batch run side by side, each with OpenBLAS on one thread ({@link
 * Gemm#inHalves}): a chunk's products are too small for OpenBLAS's own threads to pay. Measured
 * here at batch 64, forward and backward of the ResNet's 16 to 16 channel layer at 28 x 28 took 20
 * ms on one thread, 20 to 34 ms with OpenBLAS on two, and 11 to 13 ms in two halves. Each half sums
 * its own weight gradient and the result is the first half's plus the second's, on one thread as on
 * two, so the numbers do not depend on the threads.
 */
public final class ConvOps {
    /**
     * Unrolled values per chunk of images: 2^18 floats (1 MiB), so that a chunk's patches, written
     * by the unrolling, are still in the core's cache when OpenBLAS reads them; measured here,
     * chunks of 2^16 to 2^19 floats run alike and 2^21 slower.
     */
    static final int CHUNK_VALUES = 1 << 18;

    /**
     * The most values per patch, c kh kw, of a stride-one convolution computed directly rather than
     * on unrolled patches.
     */
    static final int DIRECT_PATCH = 27;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private ConvOps() {}

    /**
     * The convolution of input [n, c, h, w] with weight [o, c, kh, kw] and an optional bias [o].
     */
    public static Tensor conv2d(
            Tensor input, Tensor weight, Tensor bias, int stride, int padding, float scale) {
        Geometry g = Geometry.of(input, weight, bias, stride, padding);
        float[] out = new float[g.outputSize()];
        if (g.direct()) {
            float[] shift = bias == null ? null : bias.data();
            inHalves(
                    g,
                    (half, from, to) ->
                            DirectConvolution.correlate(
                                    input.data(),
                                    g.n,
                                    from,
                                    to,
                                    g.direct(false),
                                    weight.data(),
                                    shift,
                                    scale,
                                    out,
                                    false));
        } else {
            inHalves(
                    g,
                    (half, from, to) -> {
                        Workspace space = WORKSPACE.get().reserve(g, weight.data());
                        for (int first = from; first < to; first += g.chunkImages()) {
                            int images = Math.min(g.chunkImages(), to - first);
                            im2col(input.data(), g, first, images, space.columns);
                            space.forwardProduct(images * g.outPlane(), scale);
                            imageMajor(space.product, g, first, images, out);
                        }
                    });
            if (bias != null) {
                addBias(out, bias.data(), g);
            }
        }
        Tensor result = Tensor.wrap(out, g.n, g.outChannels, g.outHeight, g.outWidth);

        if (Ops.recording(input, weight, bias)) {
            Tensor[] inputs =
                    bias == null
                            ? new Tensor[] {input, weight}
                            : new Tensor[] {input, weight, bias};
            result.setGradientFunction(
                    node -> backward(node.gradBuffer(), input, weight, bias, g, scale), inputs);
        }
        return result;
    }

    /** The size of a convolution's output along one axis: floor((size + 2p - k) / s) + 1. */
    public static int outputExtent(int size, int kernel, int stride, int padding) {
        return Math.floorDiv(size + 2 * padding - kernel, stride) + 1;
    }

    /**
     * dW = a dY X^T and dX = col2im(a W^T dY), chunk by chunk; the patches X are unrolled again
     * rather than kept from the forward pass, which costs one more pass over the input and keeps
     * the memory of a convolution at that of its output.
     */
    private static void backward(
            float[] gradOut, Tensor input, Tensor weight, Tensor bias, Geometry g, float scale) {
        boolean weightGradient = weight.requiresGrad();
        boolean inputGradient = input.requiresGrad();
        float[] inputTarget = null;
        if (inputGradient) {
            boolean accumulates = input.gradAccumulates();
            inputTarget = input.gradBuffer();
            if (!accumulates) {
                Arrays.fill(inputTarget, 0f);
            }
        }
        if (g.direct()) {
            directBackward(gradOut, input, weight, g, scale, inputTarget);
        } else {
            unrolledBackward(gradOut, input, weight, g, scale, inputTarget);
        }
        if (inputGradient) {
            input.gradWritten();
        }
        if (bias != null && bias.requiresGrad()) {
            bias.accumulateGrad(biasGradient(gradOut, g));
        }
    }

    /**
     * The backward pass of a direct convolution: dW from the images and dY, and dX, when asked for
     * by inputTarget, as the correlation of dY with the flipped weight.
     */
    private static void directBackward(
            float[] gradOut,
            Tensor input,
            Tensor weight,
            Geometry g,
            float scale,
            float[] inputTarget) {
        boolean weightGradient = weight.requiresGrad();
        double[][] halfSums = new double[2][];
        float[] flipped =
                inputTarget == null
                        ? null
                        : DirectConvolution.flipped(
                                weight.data(),
                                g.outChannels,
                                g.inChannels,
                                g.kernelHeight,
                                g.kernelWidth);
        inHalves(
                g,
                (half, from, to) -> {
                    if (weightGradient) {
                        halfSums[half] = new double[weight.numel()];
                        DirectConvolution.weightGradient(
                                input.data(),
                                g.n,
                                from,
                                to,
                                g.direct(false),
                                gradOut,
                                scale,
                                halfSums[half]);
                    }
                    if (flipped != null) {
                        DirectConvolution.correlate(
                                gradOut,
                                g.n,
                                from,
                                to,
                                g.direct(true),
                                flipped,
                                null,
                                scale,
                                inputTarget,
                                true);
                    }
                });
        if (weightGradient) {
            float[] gradient = new float[weight.numel()];
            for (int q = 0; q < gradient.length; q++) {
                double second = halfSums[1] == null ? 0 : halfSums[1][q];
                gradient[q] = (float) (halfSums[0][q] + second);
            }
            weight.accumulateGrad(gradient);
        }
    }

    /**
     * The backward pass on unrolled patches, chunk by chunk in each half of the batch; the weight
     * gradient is the sum of the two halves' gradients, first plus second.
     */
    private static void unrolledBackward(
            float[] gradOut,
            Tensor input,
            Tensor weight,
            Geometry g,
            float scale,
            float[] inputTarget) {
        boolean weightGradient = weight.requiresGrad();
        boolean inputGradient = inputTarget != null;
        float[][] halfGradients = new float[2][];
        inHalves(
                g,
                (half, from, to) -> {
                    Workspace space = WORKSPACE.get().reserve(g, weight.data());
                    for (int first = from; first < to; first += g.chunkImages()) {
                        int images = Math.min(g.chunkImages(), to - first);
                        int columns = images * g.outPlane();
                        channelMajor(gradOut, g, first, images, space.product);
                        space.loadGradient(columns);
                        if (weightGradient) {
                            im2col(input.data(), g, first, images, space.columns);
                            space.weightGradientProduct(columns, scale, first == from ? 0f : 1f);
                        }
                        if (inputGradient) {
                            space.inputGradientProduct(columns, scale);
                            col2im(space.columns, g, first, images, inputTarget);
                        }
                    }
                    if (weightGradient) {
                        halfGradients[half] = space.weightGradient();
                    }
                });
        if (weightGradient) {
            float[] gradient = halfGradients[0];
            if (halfGradients[1] != null) {
                VectorMath.axpy(1f, halfGradients[1], 0, gradient, 0, gradient.length);
            }
            weight.accumulateGrad(gradient);
        }
    }

    /** Work on the images [from, to) of one half (0 or 1) of the batch. */
    @FunctionalInterface
    private interface HalfWork {
        void run(int half, int from, int to);
    }

    /**
     * Runs work on the first and the second half of the batch ({@link Geometry#splitImage}), side
     * by side where {@link Gemm#inHalves} can; a batch of one image or one chunk is one half. The
     * halves depend on the shape alone, so the results are the same on one thread or two.
     */
    private static void inHalves(Geometry g, HalfWork work) {
        int split = g.splitImage();
        if (split >= g.n) {
            work.run(0, 0, g.n);
            return;
        }
        Gemm.inHalves(() -> work.run(0, 0, split), () -> work.run(1, split, g.n));
    }

    /**
     * Unrolls the patches of images [first, first + images) into columns [c kh kw, images oh ow],
     * writing every value, zeros included.
     */
    private static void im2col(float[] image, Geometry g, int first, int images, float[] columns) {
        int columnCount = images * g.outPlane();
        for (int i = 0; i < g.inChannels; i++) {
            for (int r = 0; r < g.kernelHeight; r++) {
                for (int t = 0; t < g.kernelWidth; t++) {
                    int row = ((i * g.kernelHeight + r) * g.kernelWidth + t) * columnCount;
                    int start = Math.min(g.firstColumn(t), g.outWidth);
                    int end = Math.max(start, g.lastColumn(t));
                    for (int b = 0; b < images; b++) {
                        int channel = ((first + b) * g.inChannels + i) * g.height * g.width;
                        if (g.keepsWidth()) {
                            unrollKeepingWidth(
                                    image, channel, columns, row + b * g.outPlane(), g, r, t);
                            continue;
                        }
                        for (int u = 0; u < g.outHeight; u++) {
                            int target = row + b * g.outPlane() + u * g.outWidth;
                            int y = u * g.stride + r - g.padding;
                            if (y < 0 || y >= g.height) {
                                Arrays.fill(columns, target, target + g.outWidth, 0f);
                                continue;
                            }
                            int source = channel + y * g.width + t - g.padding;
                            for (int v = 0; v < start; v++) {
                                columns[target + v] = 0f;
                            }
                            if (g.stride == 1) {
                                System.arraycopy(
                                        image,
                                        source + start,
                                        columns,
                                        target + start,
                                        end - start);
                            } else {
                                for (int v = start; v < end; v++) {
                                    columns[target + v] = image[source + v * g.stride];
                                }
                            }
                            for (int v = end; v < g.outWidth; v++) {
                                columns[target + v] = 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds the columns of images [first, first + images) back onto the image positions they were
     * unrolled from. The columns are scratch: entries that fall on the padding are overwritten.
     */
    private static void col2im(float[] columns, Geometry g, int first, int images, float[] image) {
        int columnCount = images * g.outPlane();
        for (int i = 0; i < g.inChannels; i++) {
            for (int r = 0; r < g.kernelHeight; r++) {
                for (int t = 0; t < g.kernelWidth; t++) {
                    int row = ((i * g.kernelHeight + r) * g.kernelWidth + t) * columnCount;
                    int start = g.firstColumn(t);
                    int end = g.lastColumn(t);
                    if (end <= start) {
                        continue;
                    }
                    for (int b = 0; b < images; b++) {
                        int channel = ((first + b) * g.inChannels + i) * g.height * g.width;
                        if (g.keepsWidth()) {
                            foldKeepingWidth(
                                    columns, row + b * g.outPlane(), image, channel, g, r, t);
                            continue;
                        }
                        for (int u = 0; u < g.outHeight; u++) {
                            int y = u * g.stride + r - g.padding;
                            if (y < 0 || y >= g.height) {
                                continue;
                            }
                            int target = channel + y * g.width + t - g.padding;
                            int source = row + b * g.outPlane() + u * g.outWidth;
                            if (g.stride == 1) {
                                VectorMath.axpy(
                                        1f,
                                        columns,
                                        source + start,
                                        image,
                                        target + start,
                                        end - start);
                            } else {
                                for (int v = start; v < end; v++) {
                                    image[target + v * g.stride] += columns[source + v];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The unrolling of one kernel offset (r, t) of one image channel when the output rows are as
     * wide as the input rows (stride 1, "same" padding): the rows inside the image are then one
     * contiguous block in both arrays, copied at once, after which the few entries that fall on the
     * padding are set to zero.
     */
    private static void unrollKeepingWidth(
            float[] image, int channel, float[] columns, int target, Geometry g, int r, int t) {
        int width = g.width;
        int firstRow = Math.max(0, g.padding - r);
        int lastRow = Math.min(g.outHeight, g.height + g.padding - r);
        int start = Math.min(g.firstColumn(t), width);
        int end = Math.max(start, g.lastColumn(t));
        if (lastRow <= firstRow || end <= start) {
            Arrays.fill(columns, target, target + g.outPlane(), 0f);
            return;
        }
        Arrays.fill(columns, target, target + firstRow * width, 0f);
        Arrays.fill(columns, target + lastRow * width, target + g.outPlane(), 0f);
        int blockTarget = target + firstRow * width;
        int blockSource = channel + (firstRow + r - g.padding) * width + t - g.padding;
        int length = (lastRow - firstRow) * width - start - (width - end);
        if (length > 0) {
            System.arraycopy(image, blockSource + start, columns, blockTarget + start, length);
        }
        for (int u = firstRow; u < lastRow; u++) {
            int rowStart = target + u * width;
            for (int v = 0; v < start; v++) {
                columns[rowStart + v] = 0f;
            }
            for (int v = end; v < width; v++) {
                columns[rowStart + v] = 0f;
            }
        }
    }

    /**
     * The fold of one kernel offset (r, t) of one image channel when the output rows are as wide as
     * the input rows: the entries that fall on the padding are set to zero in the columns (a
     * scratch array), after which the rows inside the image are added as one contiguous block.
     */
    private static void foldKeepingWidth(
            float[] columns, int source, float[] image, int channel, Geometry g, int r, int t) {
        int width = g.width;
        int firstRow = Math.max(0, g.padding - r);
        int lastRow = Math.min(g.outHeight, g.height + g.padding - r);
        int start = Math.min(g.firstColumn(t), width);
        int end = Math.max(start, g.lastColumn(t));
        if (lastRow <= firstRow || end <= start) {
            return;
        }
        for (int u = firstRow; u < lastRow; u++) {
            int rowStart = source + u * width;
            for (int v = 0; v < start; v++) {
                columns[rowStart + v] = 0f;
            }
            for (int v = end; v < width; v++) {
                columns[rowStart + v] = 0f;
            }
        }
        int blockSource = source + firstRow * width;
        int blockTarget = channel + (firstRow + r - g.padding) * width + t - g.padding;
        int length = (lastRow - firstRow) * width - start - (width - end);
        VectorMath.axpy(1f, columns, blockSource + start, image, blockTarget + start, length);
    }

    /** Copies the chunk's product [o, images oh ow] to images [first, first + images) of out. */
    private static void imageMajor(
            float[] product, Geometry g, int first, int images, float[] out) {
        int plane = g.outPlane();
        int columnCount = images * plane;
        for (int b = 0; b < images; b++) {
            for (int j = 0; j < g.outChannels; j++) {
                System.arraycopy(
                        product,
                        j * columnCount + b * plane,
                        out,
                        ((first + b) * g.outChannels + j) * plane,
                        plane);
            }
        }
    }

    /** Copies images [first, first + images) of the gradient [n, o, oh ow] to [o, images oh ow]. */
    private static void channelMajor(
            float[] gradOut, Geometry g, int first, int images, float[] product) {
        int plane = g.outPlane();
        int columnCount = images * plane;
        for (int b = 0; b < images; b++) {
            for (int j = 0; j < g.outChannels; j++) {
                System.arraycopy(
                        gradOut,
                        ((first + b) * g.outChannels + j) * plane,
                        product,
                        j * columnCount + b * plane,
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

    private static float[] biasGradient(float[] gradOut, Geometry g) {
        int plane = g.outPlane();
        float[] ones = new float[plane];
        Arrays.fill(ones, 1f);
        double[] sums = new double[g.outChannels];
        for (int b = 0; b < g.n; b++) {
            for (int j = 0; j < g.outChannels; j++) {
                sums[j] += VectorMath.dot(gradOut, (b * g.outChannels + j) * plane, ones, 0, plane);
            }
        }
        float[] result = new float[g.outChannels];
        for (int j = 0; j < result.length; j++) {
            result[j] = (float) sums[j];
        }
        return result;
    }

    /**
     * The scratch memory of the convolutions of one thread, grown on demand and reused: no
     * convolution keeps it beyond one forward or one backward call.
     *
     * <p>The unrolled patches, the chunk's product and the weight gradient live in Java arrays. A
     * convolution whose chunk products {@link Gemm#prefersBlas} sends to OpenBLAS copies them, one
     * bulk copy each, into direct buffers, which the binding passes by address; the others run the
     * plain-Java loops on the arrays, as {@link Gemm} does for small products.
     */
    private static final class Workspace {
        float[] columns = new float[0];
        float[] product = new float[0];
        float[] gradWeight = new float[0];
        private FloatBuffer columnsBuffer = Gemm.directBuffer(0);
        private FloatBuffer productBuffer = Gemm.directBuffer(0);
        private FloatBuffer weightBuffer = Gemm.directBuffer(0);
        private FloatBuffer gradWeightBuffer = Gemm.directBuffer(0);
        private Geometry g;
        private float[] weight;
        private boolean blas;

        /** Makes room for a convolution and takes its weight. */
        Workspace reserve(Geometry geometry, float[] weights) {
            this.g = geometry;
            this.weight = weights;
            int columnCount = g.chunkImages() * g.outPlane();
            this.blas = Gemm.prefersBlas(g.outChannels, columnCount, g.patchSize());
            columns = atLeast(columns, g.patchSize() * columnCount);
            product = atLeast(product, g.outChannels * columnCount);
            gradWeight = atLeast(gradWeight, weights.length);
            if (blas) {
                columnsBuffer = atLeast(columnsBuffer, columns.length);
                productBuffer = atLeast(productBuffer, product.length);
                weightBuffer = atLeast(weightBuffer, weights.length);
                gradWeightBuffer = atLeast(gradWeightBuffer, weights.length);
                weightBuffer.put(0, weights);
            }
            return this;
        }

        /** product = a W columns, for a chunk of the given number of columns. */
        void forwardProduct(int columnCount, float scale) {
            int k = g.patchSize();
            int o = g.outChannels;
            if (!blas) {
                Gemm.java(false, false, o, columnCount, k, scale, weight, columns, 0f, product);
                return;
            }
            columnsBuffer.put(0, columns, 0, k * columnCount);
            Gemm.blas(
                    false,
                    false,
                    o,
                    columnCount,
                    k,
                    scale,
                    weightBuffer,
                    columnsBuffer,
                    0f,
                    productBuffer);
            productBuffer.get(0, product, 0, o * columnCount);
        }

        /** Makes the chunk's output gradient, written into product, ready for the products. */
        void loadGradient(int columnCount) {
            if (blas) {
                productBuffer.put(0, product, 0, g.outChannels * columnCount);
            }
        }

        /** gradWeight = a dY columns^T + beta gradWeight. */
        void weightGradientProduct(int columnCount, float scale, float beta) {
            int k = g.patchSize();
            int o = g.outChannels;
            if (!blas) {
                Gemm.java(
                        false, true, o, k, columnCount, scale, product, columns, beta, gradWeight);
                return;
            }
            columnsBuffer.put(0, columns, 0, k * columnCount);
            Gemm.blas(
                    false,
                    true,
                    o,
                    k,
                    columnCount,
                    scale,
                    productBuffer,
                    columnsBuffer,
                    beta,
                    gradWeightBuffer);
        }

        /** columns = a W^T dY. */
        void inputGradientProduct(int columnCount, float scale) {
            int k = g.patchSize();
            int o = g.outChannels;
            if (!blas) {
                Gemm.java(true, false, k, columnCount, o, scale, weight, product, 0f, columns);
                return;
            }
            Gemm.blas(
                    true,
                    false,
                    k,
                    columnCount,
                    o,
                    scale,
                    weightBuffer,
                    productBuffer,
                    0f,
                    columnsBuffer);
            columnsBuffer.get(0, columns, 0, k * columnCount);
        }

        /** A copy of the weight gradient summed over the chunks. */
        float[] weightGradient() {
            float[] result = new float[weight.length];
            if (blas) {
                gradWeightBuffer.get(0, result);
            } else {
                System.arraycopy(gradWeight, 0, result, 0, result.length);
            }
            return result;
        }

        private static float[] atLeast(float[] array, int length) {
            return array.length >= length ? array : new float[length];
        }

        private static FloatBuffer atLeast(FloatBuffer buffer, int length) {
            return buffer.capacity() >= length ? buffer : Gemm.directBuffer(length);
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
            long outputs = (long) g.outChannels * g.n * outHeight * outWidth;
            if (g.perImage() > Integer.MAX_VALUE / Float.BYTES || outputs > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "conv2d of input "
                                + Arrays.toString(input.shape())
                                + " by weight "
                                + Arrays.toString(weight.shape())
                                + " needs more than 2^29 unrolled values per image or 2^31"
                                + " outputs");
            }
            return g;
        }

        int patchSize() {
            return inChannels * kernelHeight * kernelWidth;
        }

        /**
         * Whether the convolution runs as a {@link DirectConvolution}: stride 1, at most {@link
         * #DIRECT_PATCH} values per patch, and padding below the kernel's extent, so that the input
         * gradient is a correlation too.
         */
        boolean direct() {
            return stride == 1
                    && patchSize() <= DIRECT_PATCH
                    && padding < kernelHeight
                    && padding < kernelWidth;
        }

        /**
         * The shape of the direct correlation: the forward one, or for the input gradient the one
         * from the output gradient (o channels of oh x ow) back to the c input channels.
         */
        DirectConvolution.Shape direct(boolean transposed) {
            return transposed
                    ? new DirectConvolution.Shape(
                            outChannels,
                            outHeight,
                            outWidth,
                            inChannels,
                            kernelHeight,
                            kernelWidth,
                            kernelHeight - 1 - padding,
                            kernelWidth - 1 - padding)
                    : new DirectConvolution.Shape(
                            inChannels,
                            height,
                            width,
                            outChannels,
                            kernelHeight,
                            kernelWidth,
                            padding,
                            padding);
        }

        /** Whether output rows are as wide as input rows and step through them one by one. */
        boolean keepsWidth() {
            return stride == 1 && outWidth == width;
        }

        int outPlane() {
            return outHeight * outWidth;
        }

        int columnCount() {
            return n * outHeight * outWidth;
        }

        /**
         * Images per chunk: as many as keep the unrolled patches and the product within
         * CHUNK_VALUES, at least one.
         */
        int chunkImages() {
            return (int) Math.max(1, Math.min(n, CHUNK_VALUES / perImage()));
        }

        /**
         * The first image of the second half of the batch: for a direct convolution image ceil(n /
         * 2), else the first of chunk ceil(chunks / 2); n when the batch is one image or one chunk.
         */
        int splitImage() {
            if (direct()) {
                return n < 2 ? n : (n + 1) / 2;
            }
            int chunk = chunkImages();
            int chunks = (n + chunk - 1) / chunk;
            return chunks < 2 ? n : (chunks + 1) / 2 * chunk;
        }

        /** The larger of the unrolled values and the product values of one image. */
        long perImage() {
            return (long) Math.max(patchSize(), outChannels) * outPlane();
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
