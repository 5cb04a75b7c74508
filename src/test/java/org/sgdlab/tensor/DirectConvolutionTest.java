package org.sgdlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DirectConvolutionTest {
    /**
     * n, c, h, w, o, kh, kw, ph, pw: one to five output channels (the blocks of four and the
     * channels left over), widths that do and do not fill whole vectors, a kernel as large as the
     * padded image, and a padding on one axis only.
     */
    private static final int[][] CASES = {
        {2, 1, 28, 28, 16, 3, 3, 1, 1},
        {3, 1, 5, 4, 2, 5, 3, 2, 1},
        {1, 3, 7, 9, 5, 3, 3, 0, 0},
        {2, 2, 1, 3, 3, 3, 3, 1, 1},
        {1, 1, 17, 1, 4, 1, 1, 0, 0},
        {2, 2, 6, 5, 7, 2, 4, 1, 3},
        {1, 1, 3, 3, 1, 5, 5, 1, 1},
        {2, 3, 4, 33, 4, 3, 3, 0, 2},
    };

    @Test
    void correlationMatchesTheSumOverTaps() {
        RandomStream random = new RandomStream(31);
        for (int[] c : CASES) {
            int n = c[0];
            DirectConvolution.Shape s = shape(c);
            float[] x = Tensor.gaussian(random, 1, n * c[1] * c[2] * c[3]).data();
            float[] weight = Tensor.gaussian(random, 1, s.outChannels() * s.patchSize()).data();
            float[] y = new float[n * s.outChannels() * s.outHeight() * s.outWidth()];
            DirectConvolution.correlate(x, n, 0, n, s, weight, null, 0.5f, y, false);
            assertArrayEquals(reference(x, n, s, weight, 0.5f), y, 1e-4f, s.toString());
        }
    }

    @Test
    void correlationAddsTheBiasOfEachOutputChannel() {
        RandomStream random = new RandomStream(35);
        DirectConvolution.Shape s = shape(CASES[5]);
        int n = CASES[5][0];
        float[] x = Tensor.gaussian(random, 1, n * s.channels() * s.height() * s.width()).data();
        float[] weight = Tensor.gaussian(random, 1, s.outChannels() * s.patchSize()).data();
        float[] bias = Tensor.gaussian(random, 1, s.outChannels()).data();
        float[] y = new float[n * s.outChannels() * s.outHeight() * s.outWidth()];
        DirectConvolution.correlate(x, n, 0, n, s, weight, bias, 0.5f, y, false);
        float[] expected = reference(x, n, s, weight, 0.5f);
        int outPlane = s.outHeight() * s.outWidth();
        for (int q = 0; q < expected.length; q++) {
            expected[q] += bias[q / outPlane % s.outChannels()];
        }
        assertArrayEquals(expected, y, 1e-4f);
    }

    @Test
    void correlationAddsToTheOutputWhenAskedTo() {
        RandomStream random = new RandomStream(32);
        DirectConvolution.Shape s = shape(CASES[2]);
        float[] x = Tensor.gaussian(random, 1, 3 * 7 * 9).data();
        float[] weight = Tensor.gaussian(random, 1, s.outChannels() * s.patchSize()).data();
        float[] bias = Tensor.gaussian(random, 1, s.outChannels()).data();
        int outPlane = s.outHeight() * s.outWidth();
        float[] y = Tensor.gaussian(random, 1, s.outChannels() * outPlane).data();
        float[] expected = reference(x, 1, s, weight, 1f);
        for (int q = 0; q < expected.length; q++) {
            expected[q] += y[q] + bias[q / outPlane];
        }
        DirectConvolution.correlate(x, 1, 0, 1, s, weight, bias, 1f, y, true);
        assertArrayEquals(expected, y, 1e-4f);
    }

    @Test
    void weightGradientMatchesTheSumOverOutputs() {
        RandomStream random = new RandomStream(33);
        for (int[] c : CASES) {
            int n = c[0];
            DirectConvolution.Shape s = shape(c);
            float[] x = Tensor.gaussian(random, 1, n * c[1] * c[2] * c[3]).data();
            int outputs = n * s.outChannels() * s.outHeight() * s.outWidth();
            float[] gradOut = Tensor.gaussian(random, 1, outputs).data();
            double[] gradient = new double[s.outChannels() * s.patchSize()];
            gradient[0] = 2.0;
            DirectConvolution.weightGradient(x, n, 0, n, s, gradOut, 0.5f, gradient);
            float[] weight = new float[s.outChannels() * s.patchSize()];
            double[] expected = referenceGradients(x, weight, n, s, gradOut, 0.5f)[0];
            expected[0] += 2.0;
            assertArrayEquals(expected, gradient, 1e-4, s.toString());
        }
    }

    @Test
    void correlationWithTheFlippedWeightCarriesTheGradientToTheInput() {
        RandomStream random = new RandomStream(34);
        for (int[] c : CASES) {
            int n = c[0];
            DirectConvolution.Shape s = shape(c);
            if (s.padHeight() >= s.kernelHeight() || s.padWidth() >= s.kernelWidth()) {
                continue;
            }
            float[] weight = Tensor.gaussian(random, 1, s.outChannels() * s.patchSize()).data();
            int outputs = n * s.outChannels() * s.outHeight() * s.outWidth();
            float[] gradOut = Tensor.gaussian(random, 1, outputs).data();
            DirectConvolution.Shape back =
                    new DirectConvolution.Shape(
                            s.outChannels(),
                            s.outHeight(),
                            s.outWidth(),
                            s.channels(),
                            s.kernelHeight(),
                            s.kernelWidth(),
                            s.kernelHeight() - 1 - s.padHeight(),
                            s.kernelWidth() - 1 - s.padWidth());
            assertEquals(s.height(), back.outHeight());
            assertEquals(s.width(), back.outWidth());
            float[] flipped =
                    DirectConvolution.flipped(
                            weight,
                            s.outChannels(),
                            s.channels(),
                            s.kernelHeight(),
                            s.kernelWidth());
            float[] gradIn = new float[n * s.channels() * s.height() * s.width()];
            DirectConvolution.correlate(gradOut, n, 0, n, back, flipped, null, 0.5f, gradIn, false);
            float[] x = new float[gradIn.length];
            double[] expected = referenceGradients(x, weight, n, s, gradOut, 0.5f)[1];
            assertArrayEquals(toFloats(expected), gradIn, 1e-4f, s.toString());
        }
    }

    @Test
    void aRangeOfImagesWritesThoseImagesAloneAndABadRangeIsRefused() {
        RandomStream random = new RandomStream(37);
        DirectConvolution.Shape s = shape(CASES[5]);
        int n = CASES[5][0];
        float[] x = Tensor.gaussian(random, 1, n * s.channels() * s.height() * s.width()).data();
        float[] weight = Tensor.gaussian(random, 1, s.outChannels() * s.patchSize()).data();
        int perImage = s.outChannels() * s.outHeight() * s.outWidth();
        float[] y = new float[n * perImage];
        Arrays.fill(y, Float.NaN);

        DirectConvolution.correlate(x, n, 1, n, s, weight, null, 0.5f, y, false);

        float[] expected = reference(x, n, s, weight, 0.5f);
        for (int q = 0; q < y.length; q++) {
            if (q < perImage) {
                assertTrue(Float.isNaN(y[q]), "image 0 was written at " + q);
            } else {
                assertEquals(expected[q], y[q], 1e-4f, "at " + q);
            }
        }
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                DirectConvolution.correlate(
                                        x, n, 1, n + 1, s, weight, null, 1f, y, false));
        assertEquals(
                "images [1, " + (n + 1) + ") are not a range of the " + n + " images",
                error.getMessage());
    }

    @Test
    void aKernelThatDoesNotFitThePaddedInputIsRefused() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new DirectConvolution.Shape(1, 2, 2, 1, 5, 3, 1, 1));
        assertEquals(
                "a direct convolution's 5x3 kernel does not fit a 2x2 input padded by 1 and 1",
                error.getMessage());
    }

    private static DirectConvolution.Shape shape(int[] c) {
        return new DirectConvolution.Shape(c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);
    }

    /** The value of x[b, i, row, column], 0 outside the image. */
    private static double at(float[] x, DirectConvolution.Shape s, int b, int i, int row, int col) {
        if (row < 0 || row >= s.height() || col < 0 || col >= s.width()) {
            return 0;
        }
        return x[((b * s.channels() + i) * s.height() + row) * s.width() + col];
    }

    private static int weightIndex(DirectConvolution.Shape s, int j, int i, int r, int t) {
        return ((j * s.channels() + i) * s.kernelHeight() + r) * s.kernelWidth() + t;
    }

    private static int outputIndex(DirectConvolution.Shape s, int b, int j, int u, int v) {
        return ((b * s.outChannels() + j) * s.outHeight() + u) * s.outWidth() + v;
    }

    private static float[] reference(
            float[] x, int n, DirectConvolution.Shape s, float[] weight, float scale) {
        float[] y = new float[n * s.outChannels() * s.outHeight() * s.outWidth()];
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < s.outChannels(); j++) {
                for (int u = 0; u < s.outHeight(); u++) {
                    for (int v = 0; v < s.outWidth(); v++) {
                        double sum = 0;
                        for (int i = 0; i < s.channels(); i++) {
                            for (int r = 0; r < s.kernelHeight(); r++) {
                                for (int t = 0; t < s.kernelWidth(); t++) {
                                    sum +=
                                            weight[weightIndex(s, j, i, r, t)]
                                                    * at(
                                                            x,
                                                            s,
                                                            b,
                                                            i,
                                                            u + r - s.padHeight(),
                                                            v + t - s.padWidth());
                                }
                            }
                        }
                        y[outputIndex(s, b, j, u, v)] = (float) (scale * sum);
                    }
                }
            }
        }
        return y;
    }

    /**
     * The gradients of sum(g * y): dW[j, i, r, t] = a sum g[b, j, u, v] x[b, i, row, column] and
     * dx[b, i, row, column] = a sum g[b, j, u, v] W[j, i, r, t], over row = u + r - ph and column =
     * v + t - pw inside the image; {dW, dx}.
     */
    private static double[][] referenceGradients(
            float[] x,
            float[] weight,
            int n,
            DirectConvolution.Shape s,
            float[] gradOut,
            float scale) {
        double[] gradWeight = new double[s.outChannels() * s.patchSize()];
        double[] gradInput = new double[n * s.channels() * s.height() * s.width()];
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < s.outChannels(); j++) {
                for (int u = 0; u < s.outHeight(); u++) {
                    for (int v = 0; v < s.outWidth(); v++) {
                        double g = scale * gradOut[outputIndex(s, b, j, u, v)];
                        for (int i = 0; i < s.channels(); i++) {
                            for (int r = 0; r < s.kernelHeight(); r++) {
                                for (int t = 0; t < s.kernelWidth(); t++) {
                                    int row = u + r - s.padHeight();
                                    int col = v + t - s.padWidth();
                                    int tap = weightIndex(s, j, i, r, t);
                                    gradWeight[tap] += g * at(x, s, b, i, row, col);
                                    if (row >= 0
                                            && row < s.height()
                                            && col >= 0
                                            && col < s.width()) {
                                        int position =
                                                ((b * s.channels() + i) * s.height() + row)
                                                                * s.width()
                                                        + col;
                                        gradInput[position] += g * weight[tap];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {gradWeight, gradInput};
    }

    private static float[] toFloats(double[] values) {
        float[] result = new float[values.length];
        for (int q = 0; q < values.length; q++) {
            result[q] = (float) values[q];
        }
        return result;
    }
}
