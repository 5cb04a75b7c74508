package org.sgdlab.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-one convolutions computed straight from the images, without unrolling their patches: the
 * kernel for layers with few values per patch (the first layer of an image network, one to three
 * input channels), where a product on unrolled patches has only c kh kw rows and is bound by the
 * memory traffic of unrolling them.
 *
 * <p>For an input x of shape [n, c, h, w], a weight W of shape [o, c, kh, kw], zero padding ph
 * above and below and pw left and right, and a factor a, the correlation is
 *
 * <pre>
 * y[b, j, u, v] = a sum_{i, r, t} W[j, i, r, t] x[b, i, u + r - ph, v + t - pw]
 * </pre>
 *
 * for u &lt; oh = h + 2 ph - kh + 1 and v &lt; ow = w + 2 pw - kw + 1, with x = 0 outside the
 * image, and its weight gradient is dW[j, i, r, t] = a sum_{b, u, v} dy[b, j, u, v] x[b, i, u + r -
 * ph, v + t - pw].
 *
 * <p>Each image channel is first copied into a zero-bordered plane of width wp = w + 2 pw. On that
 * plane the input of output (u, v) at offset (r, t) is the value at flat position q + r wp + t with
 * q = u wp + v, so every tap of the kernel reads a contiguous run of the plane: the outputs are
 * computed for all q &lt; oh wp, whole vectors at a time, and the columns v &ge; ow of each row,
 * which wrap around into the next row, are dropped. Four output channels are computed together, so
 * that each input vector loaded serves four multiply-adds. The weight gradient runs the same loops
 * over the output gradient laid out on the same grid, with zeros in the dropped columns.
 *
 * <p>The input gradient of such a layer is itself a stride-one correlation: dx = correlation of dy,
 * padded by kh - 1 - ph and kw - 1 - pw, with the weight W'[i, j, r, t] = W[j, i, kh - 1 - r, kw -
 * 1 - t] ({@link #flipped}); it needs ph &lt; kh and pw &lt; kw.
 */
public final class DirectConvolution {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private DirectConvolution() {}

    /**
     * The extents of one correlation.
     *
     * @param channels c, the input channels
     * @param height h, the input height
     * @param width w, the input width
     * @param outChannels o, the output channels
     * @param kernelHeight kh
     * @param kernelWidth kw
     * @param padHeight ph, the zero rows above and below
     * @param padWidth pw, the zero columns left and right
     */
    public record Shape(
            int channels,
            int height,
            int width,
            int outChannels,
            int kernelHeight,
            int kernelWidth,
            int padHeight,
            int padWidth) {
        public Shape {
            if (channels < 1 || height < 1 || width < 1 || outChannels < 1) {
                throw new IllegalArgumentException(
                        "a direct convolution needs positive extents, got channels "
                                + channels
                                + ", height "
                                + height
                                + ", width "
                                + width
                                + " and "
                                + outChannels
                                + " output channels");
            }
            if (kernelHeight < 1 || kernelWidth < 1 || padHeight < 0 || padWidth < 0) {
                throw new IllegalArgumentException(
                        "a direct convolution needs a positive kernel and padding >= 0, got a "
                                + kernelHeight
                                + "x"
                                + kernelWidth
                                + " kernel with padding "
                                + padHeight
                                + " and "
                                + padWidth);
            }
            if (height + 2 * padHeight < kernelHeight || width + 2 * padWidth < kernelWidth) {
                throw new IllegalArgumentException(
                        "a direct convolution's "
                                + kernelHeight
                                + "x"
                                + kernelWidth
                                + " kernel does not fit a "
                                + height
                                + "x"
                                + width
                                + " input padded by "
                                + padHeight
                                + " and "
                                + padWidth);
            }
        }

        /** oh = h + 2 ph - kh + 1. */
        public int outHeight() {
            return height + 2 * padHeight - kernelHeight + 1;
        }

        /** ow = w + 2 pw - kw + 1. */
        public int outWidth() {
            return width + 2 * padWidth - kernelWidth + 1;
        }

        /** The values of one patch, c kh kw. */
        public int patchSize() {
            return channels * kernelHeight * kernelWidth;
        }

        int paddedWidth() {
            return width + 2 * padWidth;
        }

        int paddedHeight() {
            return height + 2 * padHeight;
        }

        /** The grid positions q &lt; oh wp, rounded up to whole vectors. */
        int gridLength() {
            int positions = outHeight() * paddedWidth();
            int lanes = SPECIES.length();
            return (positions + lanes - 1) / lanes * lanes;
        }

        /**
         * The length of one padded plane: the padded image and the slack that the last grid vector
         * reads beyond it, at the largest offset (kh - 1) wp + kw - 1.
         */
        int planeLength() {
            int reach = gridLength() + (kernelHeight - 1) * paddedWidth() + kernelWidth - 1;
            return Math.max(reach, paddedHeight() * paddedWidth());
        }

        /**
         * The flat offsets i planeLength + r wp + t of a patch's values in the padded planes of an
         * image, in the weight's order (i, r, t).
         */
        int[] patchOffsets() {
            int[] taps = tapOffsets();
            int[] offsets = new int[patchSize()];
            for (int i = 0; i < channels; i++) {
                for (int k = 0; k < taps.length; k++) {
                    offsets[i * taps.length + k] = i * planeLength() + taps[k];
                }
            }
            return offsets;
        }

        /** The flat offsets r wp + t of the kernel's taps, in the weight's order. */
        int[] tapOffsets() {
            int[] offsets = new int[kernelHeight * kernelWidth];
            for (int r = 0; r < kernelHeight; r++) {
                for (int t = 0; t < kernelWidth; t++) {
                    offsets[r * kernelWidth + t] = r * paddedWidth() + t;
                }
            }
            return offsets;
        }
    }

    /**
     * y = a W * x + bias for images [from, to) of n, as the class comment defines it, with bias[j]
     * added to output channel j when a bias is given; y holds n o oh ow values, of which those of
     * images [from, to) alone are written over, or added to when {@code accumulate} is set.
     */
    public static void correlate(
            float[] x,
            int n,
            int from,
            int to,
            Shape s,
            float[] weight,
            float[] bias,
            float scale,
            float[] y,
            boolean accumulate) {
        requireRange(from, to, n);
        requireLength("input", x, (long) n * s.channels() * s.height() * s.width());
        requireLength("weight", weight, (long) s.outChannels() * s.patchSize());
        requireLength("output", y, (long) n * s.outChannels() * s.outHeight() * s.outWidth());
        if (bias != null) {
            requireLength("bias", bias, s.outChannels());
        }
        float[] scaled = weight.clone();
        for (int q = 0; q < scaled.length; q++) {
            scaled[q] *= scale;
        }
        Scratch scratch = SCRATCH.get().reserve(s);
        int[] offsets = s.patchOffsets();
        int grid = s.gridLength();
        int outPlane = s.outHeight() * s.outWidth();
        for (int b = from; b < to; b++) {
            pad(x, b, s, scratch.planes);
            for (int j = 0; j < s.outChannels(); j += 4) {
                int block = Math.min(4, s.outChannels() - j);
                if (block == 4) {
                    correlateFour(scratch.planes, offsets, scaled, j, scratch.grids, grid);
                } else {
                    for (int q = 0; q < block; q++) {
                        correlateOne(
                                scratch.planes,
                                offsets,
                                scaled,
                                j + q,
                                scratch.grids,
                                q * grid,
                                grid);
                    }
                }
                for (int q = 0; q < block; q++) {
                    float shift = bias == null ? 0f : bias[j + q];
                    int target = (b * s.outChannels() + j + q) * outPlane;
                    unpack(scratch.grids, q * grid, shift, s, y, target, accumulate);
                }
            }
        }
    }

    /**
     * gradWeight[j, i, r, t] += a sum_{b, u, v} dy[b, j, u, v] x[b, i, u + r - ph, v + t - pw],
     * summed in double over images b in [from, to) of the n.
     */
    public static void weightGradient(
            float[] x,
            int n,
            int from,
            int to,
            Shape s,
            float[] gradOut,
            float scale,
            double[] gradWeight) {
        requireRange(from, to, n);
        requireLength("input", x, (long) n * s.channels() * s.height() * s.width());
        requireLength(
                "output gradient",
                gradOut,
                (long) n * s.outChannels() * s.outHeight() * s.outWidth());
        if (gradWeight.length != s.outChannels() * s.patchSize()) {
            throw new IllegalArgumentException(
                    "a weight gradient of "
                            + s.outChannels() * s.patchSize()
                            + " values is needed, got "
                            + gradWeight.length);
        }
        Scratch scratch = SCRATCH.get().reserve(s);
        int[] offsets = s.patchOffsets();
        int patch = offsets.length;
        int grid = s.gridLength();
        int outPlane = s.outHeight() * s.outWidth();
        float[] sums = new float[4];
        for (int b = from; b < to; b++) {
            pad(x, b, s, scratch.planes);
            for (int j = 0; j < s.outChannels(); j++) {
                pack(gradOut, (b * s.outChannels() + j) * outPlane, s, scratch.grids, j * grid);
            }
            int j = 0;
            for (; j + 4 <= s.outChannels(); j += 4) {
                for (int p = 0; p < patch; p++) {
                    dotFour(scratch.grids, j * grid, grid, scratch.planes, offsets[p], sums);
                    for (int q = 0; q < 4; q++) {
                        gradWeight[(j + q) * patch + p] += (double) scale * sums[q];
                    }
                }
            }
            for (; j < s.outChannels(); j++) {
                for (int p = 0; p < patch; p++) {
                    float sum = dot(scratch.grids, j * grid, grid, scratch.planes, offsets[p]);
                    gradWeight[j * patch + p] += (double) scale * sum;
                }
            }
        }
    }

    /**
     * W'[i, j, r, t] = W[j, i, kh - 1 - r, kw - 1 - t]: the weight of the correlation that carries
     * an output gradient back to the input.
     */
    public static float[] flipped(
            float[] weight, int outChannels, int channels, int kernelHeight, int kernelWidth) {
        int taps = kernelHeight * kernelWidth;
        float[] result = new float[weight.length];
        for (int j = 0; j < outChannels; j++) {
            for (int i = 0; i < channels; i++) {
                for (int k = 0; k < taps; k++) {
                    result[(i * outChannels + j) * taps + taps - 1 - k] =
                            weight[(j * channels + i) * taps + k];
                }
            }
        }
        return result;
    }

    /**
     * Four output channels j .. j + 3 on the grid, into grids[0, 4 grid): each input vector is
     * loaded once for the four channels' multiply-adds, which stay in registers over the patch.
     */
    private static void correlateFour(
            float[] planes, int[] offsets, float[] weight, int j, float[] grids, int grid) {
        int lanes = SPECIES.length();
        int patch = offsets.length;
        int w0 = j * patch;
        int w1 = w0 + patch;
        int w2 = w1 + patch;
        int w3 = w2 + patch;
        for (int q = 0; q < grid; q += lanes) {
            FloatVector sum0 = FloatVector.zero(SPECIES);
            FloatVector sum1 = FloatVector.zero(SPECIES);
            FloatVector sum2 = FloatVector.zero(SPECIES);
            FloatVector sum3 = FloatVector.zero(SPECIES);
            for (int p = 0; p < patch; p++) {
                FloatVector in = FloatVector.fromArray(SPECIES, planes, offsets[p] + q);
                sum0 = in.fma(FloatVector.broadcast(SPECIES, weight[w0 + p]), sum0);
                sum1 = in.fma(FloatVector.broadcast(SPECIES, weight[w1 + p]), sum1);
                sum2 = in.fma(FloatVector.broadcast(SPECIES, weight[w2 + p]), sum2);
                sum3 = in.fma(FloatVector.broadcast(SPECIES, weight[w3 + p]), sum3);
            }
            sum0.intoArray(grids, q);
            sum1.intoArray(grids, grid + q);
            sum2.intoArray(grids, 2 * grid + q);
            sum3.intoArray(grids, 3 * grid + q);
        }
    }

    /** Output channel j on the grid, into grids[at, at + grid). */
    private static void correlateOne(
            float[] planes, int[] offsets, float[] weight, int j, float[] grids, int at, int grid) {
        int lanes = SPECIES.length();
        int patch = offsets.length;
        int w0 = j * patch;
        for (int q = 0; q < grid; q += lanes) {
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int p = 0; p < patch; p++) {
                sum =
                        FloatVector.fromArray(SPECIES, planes, offsets[p] + q)
                                .fma(FloatVector.broadcast(SPECIES, weight[w0 + p]), sum);
            }
            sum.intoArray(grids, at + q);
        }
    }

    /** The dots of four grids, grids[at + q grid ..], with planes[offset ..], into sums. */
    private static void dotFour(
            float[] grids, int at, int grid, float[] planes, int offset, float[] sums) {
        int lanes = SPECIES.length();
        FloatVector sum0 = FloatVector.zero(SPECIES);
        FloatVector sum1 = FloatVector.zero(SPECIES);
        FloatVector sum2 = FloatVector.zero(SPECIES);
        FloatVector sum3 = FloatVector.zero(SPECIES);
        for (int q = 0; q < grid; q += lanes) {
            FloatVector in = FloatVector.fromArray(SPECIES, planes, offset + q);
            sum0 = FloatVector.fromArray(SPECIES, grids, at + q).fma(in, sum0);
            sum1 = FloatVector.fromArray(SPECIES, grids, at + grid + q).fma(in, sum1);
            sum2 = FloatVector.fromArray(SPECIES, grids, at + 2 * grid + q).fma(in, sum2);
            sum3 = FloatVector.fromArray(SPECIES, grids, at + 3 * grid + q).fma(in, sum3);
        }
        sums[0] = sum0.reduceLanes(VectorOperators.ADD);
        sums[1] = sum1.reduceLanes(VectorOperators.ADD);
        sums[2] = sum2.reduceLanes(VectorOperators.ADD);
        sums[3] = sum3.reduceLanes(VectorOperators.ADD);
    }

    private static float dot(float[] grids, int at, int grid, float[] planes, int offset) {
        int lanes = SPECIES.length();
        FloatVector sum = FloatVector.zero(SPECIES);
        for (int q = 0; q < grid; q += lanes) {
            sum =
                    FloatVector.fromArray(SPECIES, grids, at + q)
                            .fma(FloatVector.fromArray(SPECIES, planes, offset + q), sum);
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }

    /** Copies image b's channels into zero-bordered planes, one every planeLength values. */
    private static void pad(float[] x, int b, Shape s, float[] planes) {
        int plane = s.planeLength();
        int wp = s.paddedWidth();
        int imagePlane = s.height() * s.width();
        Arrays.fill(planes, 0, s.channels() * plane, 0f);
        for (int i = 0; i < s.channels(); i++) {
            int source = (b * s.channels() + i) * imagePlane;
            int target = i * plane + s.padHeight() * wp + s.padWidth();
            for (int row = 0; row < s.height(); row++) {
                System.arraycopy(x, source + row * s.width(), planes, target + row * wp, s.width());
            }
        }
    }

    /**
     * Copies the valid columns of a grid, row by row, into an output plane, adding shift; added to
     * the plane when {@code accumulate} is set.
     */
    private static void unpack(
            float[] grids,
            int at,
            float shift,
            Shape s,
            float[] y,
            int target,
            boolean accumulate) {
        int wp = s.paddedWidth();
        int ow = s.outWidth();
        for (int u = 0; u < s.outHeight(); u++) {
            int source = at + u * wp;
            int row = target + u * ow;
            if (accumulate) {
                VectorMath.axpy(1f, grids, source, y, row, ow);
            } else {
                System.arraycopy(grids, source, y, row, ow);
            }
            if (shift != 0f) {
                for (int v = 0; v < ow; v++) {
                    y[row + v] += shift;
                }
            }
        }
    }

    /** Lays an output plane out on the grid, with zeros in the dropped columns and the slack. */
    private static void pack(float[] gradOut, int source, Shape s, float[] grids, int at) {
        int wp = s.paddedWidth();
        int ow = s.outWidth();
        Arrays.fill(grids, at, at + s.gridLength(), 0f);
        for (int u = 0; u < s.outHeight(); u++) {
            System.arraycopy(gradOut, source + u * ow, grids, at + u * wp, ow);
        }
    }

    private static void requireRange(int from, int to, int n) {
        if (from < 0 || to > n || from > to) {
            throw new IllegalArgumentException(
                    "images [" + from + ", " + to + ") are not a range of the " + n + " images");
        }
    }

    private static void requireLength(String what, float[] values, long length) {
        if (values.length != length) {
            throw new IllegalArgumentException(
                    "a direct convolution's "
                            + what
                            + " needs "
                            + length
                            + " values, got "
                            + values.length);
        }
    }

    /** The padded planes of one image and the grids of its output channels, per thread. */
    private static final class Scratch {
        float[] planes = new float[0];
        float[] grids = new float[0];

        Scratch reserve(Shape s) {
            int planeValues = s.channels() * s.planeLength();
            int gridValues = Math.max(4, s.outChannels()) * s.gridLength();
            if (planes.length < planeValues) {
                planes = new float[planeValues];
            }
            if (grids.length < gridValues) {
                grids = new float[gridValues];
            }
            return this;
        }
    }
}
