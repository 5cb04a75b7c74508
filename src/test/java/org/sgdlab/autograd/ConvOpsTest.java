package org.sgdlab.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sgdlab.tensor.Gemm;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class ConvOpsTest {
    private static final double STEP = 1e-2;
    private static final double TOLERANCE = 1e-2;

    @Test
    void forwardMatchesTheReferenceSumsOverStridesAndPaddings() {
        RandomStream random = new RandomStream(11);
        int[][] cases = {
            // n, c, h, w, out, kh, kw, stride, padding
            {2, 2, 5, 5, 3, 3, 3, 1, 0},
            {2, 2, 5, 5, 3, 3, 3, 1, 1},
            {2, 3, 7, 6, 4, 3, 2, 2, 1},
            {1, 2, 6, 6, 2, 1, 1, 2, 0},
            {3, 1, 5, 4, 2, 5, 3, 1, 2},
            {2, 2, 9, 8, 3, 3, 3, 3, 2},
            {2, 1, 1, 3, 2, 5, 5, 1, 2},
            {1, 2, 2, 2, 3, 3, 3, 2, 3},
            {2, 2, 3, 2, 3, 5, 5, 1, 2},
            {2, 1, 4, 4, 2, 5, 5, 1, 2},
        };
        for (int[] c : cases) {
            Tensor x = Tensor.gaussian(random, 1, c[0], c[1], c[2], c[3]);
            Tensor w = Tensor.gaussian(random, 1, c[4], c[1], c[5], c[6]);
            Tensor b = Tensor.gaussian(random, 1, c[4]);
            Tensor y = ConvOps.conv2d(x, w, b, c[7], c[8], 0.5f);
            Tensor expected = referenceConvolution(x, w, b, c[7], c[8], 0.5f);
            assertArrayEquals(expected.shape(), y.shape());
            assertArrayEquals(expected.data(), y.data(), 1e-4f);
        }
    }

    @Test
    void forwardOfLargeBatchMatchesTheReferenceSums() {
        RandomStream random = new RandomStream(12);
        Tensor x = Tensor.gaussian(random, 1, 16, 4, 12, 12);
        Tensor w = Tensor.gaussian(random, 1, 8, 4, 3, 3);
        Tensor y = ConvOps.conv2d(x, w, null, 1, 1, 1f);
        assertArrayEquals(referenceConvolution(x, w, null, 1, 1, 1f).data(), y.data(), 1e-3f);
    }

    @Test
    void chunkedBatchesMatchTheReferenceSumsOnBothProductPaths() {
        // n, c, size, out: a chunk of 6 plain-Java products, then 2 chunks of OpenBLAS products
        int[][] cases = {{5, 4, 40, 4}, {6, 16, 20, 32}};
        boolean[] expectBlas = {false, true};
        for (int index = 0; index < cases.length; index++) {
            int[] c = cases[index];
            RandomStream random = new RandomStream(16 + index);
            Tensor x = Tensor.gaussian(random, 1, c[0], c[1], c[2], c[2]).requiresGrad(true);
            Tensor w = Tensor.gaussian(random, 1, c[3], c[1], 3, 3).requiresGrad(true);
            long perImage = (long) c[1] * 9 * c[2] * c[2];
            int chunkImages = (int) (ConvOps.CHUNK_VALUES / perImage);
            assertTrue(chunkImages < c[0], "the batch must need several chunks");
            assertEquals(
                    expectBlas[index], Gemm.prefersBlas(c[3], chunkImages * c[2] * c[2], c[1] * 9));

            Tensor y = ConvOps.conv2d(x, w, null, 1, 1, 0.5f);
            Tensor probe = Tensor.gaussian(random, 1, y.shape());
            y.backward(probe.data());

            assertArrayEquals(referenceConvolution(x, w, null, 1, 1, 0.5f).data(), y.data(), 1e-3f);
            Tensor[] expected = referenceGradients(x, w, probe, 1, 0.5f);
            assertArrayEquals(expected[0].data(), x.grad().data(), 1e-3f);
            assertArrayEquals(expected[1].data(), w.grad().data(), 1e-2f);
        }
    }

    @Test
    void halvesOfTheBatchGiveTheSameBitsOnOneThreadOrTwo() {
        // n, c, size, out: 10 images of 57,600 unrolled values make 3 chunks of 4, 4 and 2 images,
        // halves of 8 and 2; 9 images of one channel run directly, in halves of 5 and 4
        int[][] cases = {{10, 16, 20, 32}, {9, 1, 20, 16}};
        for (int index = 0; index < cases.length; index++) {
            int[] c = cases[index];
            RandomStream random = new RandomStream(21 + index);
            Tensor x = Tensor.gaussian(random, 1, c[0], c[1], c[2], c[2]);
            Tensor w = Tensor.gaussian(random, 1, c[3], c[1], 3, 3);
            Tensor b = Tensor.gaussian(random, 1, c[3]);
            Tensor probe = Tensor.gaussian(random, 1, c[0], c[3], c[2], c[2]);

            float[][] one = forwardAndBackward(x, w, b, probe, 1);
            float[][] two = forwardAndBackward(x, w, b, probe, 2);

            for (int part = 0; part < one.length; part++) {
                assertArrayEquals(one[part], two[part]);
            }
            assertArrayEquals(referenceConvolution(x, w, b, 1, 1, 0.5f).data(), two[0], 1e-3f);
            Tensor[] expected = referenceGradients(x, w, probe, 1, 0.5f);
            assertArrayEquals(expected[0].data(), two[1], 1e-3f);
            assertArrayEquals(expected[1].data(), two[2], 1e-2f);
        }
    }

    /** The output, input gradient and weight gradient with the products on the given threads. */
    private static float[][] forwardAndBackward(
            Tensor x, Tensor w, Tensor b, Tensor probe, int threads) {
        Tensor input = Tensor.wrap(x.data().clone(), x.shape()).requiresGrad(true);
        Tensor weight = Tensor.wrap(w.data().clone(), w.shape()).requiresGrad(true);
        Tensor bias = Tensor.wrap(b.data().clone(), b.shape()).requiresGrad(true);
        Gemm.setThreads(threads);
        try {
            Tensor y = ConvOps.conv2d(input, weight, bias, 1, 1, 0.5f);
            y.backward(probe.data());
            return new float[][] {
                y.data(), input.grad().data(), weight.grad().data(), bias.grad().data()
            };
        } finally {
            Gemm.setThreads(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        RandomStream random = new RandomStream(13);
        // stride, padding, input channels: stride 1 with up to 27 values per patch runs directly,
        // the others on unrolled patches
        int[][] cases = {{1, 1, 2}, {1, 0, 2}, {2, 1, 2}, {1, 1, 1}, {1, 2, 1}, {1, 1, 6}};
        for (int[] c : cases) {
            Tensor x = Tensor.gaussian(random, 1, 2, c[2], 5, 5);
            Tensor w = Tensor.gaussian(random, 1, 3, c[2], 3, 3);
            Tensor b = Tensor.gaussian(random, 1, 3);
            Tensor y = ConvOps.conv2d(x, w, b, c[0], c[1], 1f);
            Tensor probe = Tensor.gaussian(random, 1, y.shape());
            double error =
                    GradCheck.maxError(
                            () ->
                                    Ops.sum(
                                            Ops.mul(
                                                    ConvOps.conv2d(x, w, b, c[0], c[1], 0.7f),
                                                    probe)),
                            List.of(x, w, b),
                            STEP);
            assertTrue(
                    error < TOLERANCE,
                    "stride " + c[0] + ", padding " + c[1] + ", channels " + c[2] + ": " + error);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesWhereKernelColumnsFallOnThePadding() {
        RandomStream random = new RandomStream(17);
        Tensor x = Tensor.gaussian(random, 1, 2, 2, 3, 2);
        Tensor w = Tensor.gaussian(random, 1, 3, 2, 5, 5);
        Tensor probe = Tensor.gaussian(random, 1, 2, 3, 3, 2);
        double error =
                GradCheck.maxError(
                        () -> Ops.sum(Ops.mul(ConvOps.conv2d(x, w, null, 1, 2, 1f), probe)),
                        List.of(x, w),
                        STEP);
        assertTrue(error < TOLERANCE, "error " + error);
    }

    @Test
    void gradientsAccumulateOverTwoUses() {
        RandomStream random = new RandomStream(14);
        Tensor x = Tensor.gaussian(random, 1, 2, 2, 5, 5);
        Tensor w = Tensor.gaussian(random, 1, 2, 2, 3, 3);
        Tensor probe = Tensor.gaussian(random, 1, 2, 2, 5, 5);
        double error =
                GradCheck.maxError(
                        () -> {
                            Tensor once = ConvOps.conv2d(x, w, null, 1, 1, 1f);
                            Tensor twice = ConvOps.conv2d(Ops.relu(once), w, null, 1, 1, 1f);
                            return Ops.sum(Ops.mul(Ops.add(twice, x), probe));
                        },
                        List.of(x, w),
                        1e-3);
        assertTrue(error < TOLERANCE, "error " + error);
    }

    @Test
    void onlyTheInputsThatRequireAGradientReceiveOne() {
        RandomStream random = new RandomStream(15);
        Tensor x = Tensor.gaussian(random, 1, 1, 1, 4, 4);
        Tensor w = Tensor.gaussian(random, 1, 2, 1, 3, 3).requiresGrad(true);
        Ops.sum(ConvOps.conv2d(x, w, null, 1, 0, 1f)).backward();
        assertTrue(w.hasGrad());
        assertEquals(null, x.grad());
    }

    @Test
    void mismatchedShapesAreReportedWithBothShapes() {
        Tensor x = Tensor.zeros(2, 3, 5, 5);
        Tensor w = Tensor.zeros(4, 2, 3, 3);
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class, () -> ConvOps.conv2d(x, w, null, 1, 0, 1f));
        assertEquals(
                "conv2d weight [4, 2, 3, 3] takes 2 input channels, got input [2, 3, 5, 5]",
                error.getMessage());

        IllegalArgumentException tooLarge =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ConvOps.conv2d(Tensor.zeros(1, 2, 2, 2), w, null, 1, 0, 1f));
        assertEquals(
                "conv2d weight [4, 2, 3, 3] with padding 0 does not fit input [1, 2, 2, 2]",
                tooLarge.getMessage());

        IllegalArgumentException rank =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ConvOps.conv2d(Tensor.zeros(3, 25), w, null, 1, 0, 1f));
        assertEquals("conv2d needs an input of shape [n, c, h, w], got [3, 25]", rank.getMessage());

        IllegalArgumentException bias =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ConvOps.conv2d(
                                        Tensor.zeros(1, 2, 5, 5), w, Tensor.zeros(3), 1, 0, 1f));
        assertEquals(
                "conv2d bias of shape [3] does not match weight [4, 2, 3, 3]", bias.getMessage());

        IllegalArgumentException stride =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ConvOps.conv2d(Tensor.zeros(1, 2, 5, 5), w, null, 0, 0, 1f));
        assertEquals(
                "conv2d needs stride >= 1 and padding >= 0, got stride 0 and padding 0",
                stride.getMessage());
    }

    /**
     * The gradients of sum(g * y) for stride 1: dx[b, i, row, column] = a sum g[b, j, u, v] W[j, i,
     * r, t] and dW[j, i, r, t] = a sum g[b, j, u, v] x[b, i, row, column] over row = u + r - p,
     * column = v + t - p inside the image.
     */
    static Tensor[] referenceGradients(Tensor x, Tensor w, Tensor g, int padding, float scale) {
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int width = x.size(3);
        int out = w.size(0);
        int kh = w.size(2);
        int kw = w.size(3);
        int oh = g.size(2);
        int ow = g.size(3);
        double[] dx = new double[x.numel()];
        double[] dw = new double[w.numel()];
        float[] values = x.data();
        float[] weights = w.data();
        float[] grads = g.data();
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < out; j++) {
                for (int u = 0; u < oh; u++) {
                    for (int v = 0; v < ow; v++) {
                        double gradient = scale * grads[((b * out + j) * oh + u) * ow + v];
                        for (int i = 0; i < c; i++) {
                            for (int r = 0; r < kh; r++) {
                                for (int t = 0; t < kw; t++) {
                                    int row = u + r - padding;
                                    int column = v + t - padding;
                                    if (row >= 0 && row < h && column >= 0 && column < width) {
                                        int position = ((b * c + i) * h + row) * width + column;
                                        int tap = ((j * c + i) * kh + r) * kw + t;
                                        dx[position] += gradient * weights[tap];
                                        dw[tap] += gradient * values[position];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Tensor[] {
            Tensor.wrap(toFloats(dx), x.shape()), Tensor.wrap(toFloats(dw), w.shape())
        };
    }

    private static float[] toFloats(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }

    /** y[b, j, u, v] = a sum W[j, i, r, t] x[b, i, s u + r - p, s v + t - p] + bias[j]. */
    static Tensor referenceConvolution(
            Tensor x, Tensor w, Tensor bias, int stride, int padding, float scale) {
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int width = x.size(3);
        int out = w.size(0);
        int kh = w.size(2);
        int kw = w.size(3);
        int oh = (h + 2 * padding - kh) / stride + 1;
        int ow = (width + 2 * padding - kw) / stride + 1;
        float[] y = new float[n * out * oh * ow];
        float[] weights = w.data();
        float[] values = x.data();
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < out; j++) {
                for (int u = 0; u < oh; u++) {
                    for (int v = 0; v < ow; v++) {
                        double sum = 0;
                        for (int i = 0; i < c; i++) {
                            for (int r = 0; r < kh; r++) {
                                for (int t = 0; t < kw; t++) {
                                    int row = stride * u + r - padding;
                                    int column = stride * v + t - padding;
                                    if (row >= 0 && row < h && column >= 0 && column < width) {
                                        sum +=
                                                weights[((j * c + i) * kh + r) * kw + t]
                                                        * values[
                                                                ((b * c + i) * h + row) * width
                                                                        + column];
                                    }
                                }
                            }
                        }
                        double value = scale * sum + (bias == null ? 0 : bias.get(j));
                        y[((b * out + j) * oh + u) * ow + v] = (float) value;
                    }
                }
            }
        }
        return Tensor.wrap(y, n, out, oh, ow);
    }
}
