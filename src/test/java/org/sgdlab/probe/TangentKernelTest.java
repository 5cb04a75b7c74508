package org.sgdlab.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.sgdlab.autograd.NoGrad;
import org.sgdlab.nn.Activation;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Linear;
import org.sgdlab.nn.Mlp;
import org.sgdlab.nn.Sequential;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class TangentKernelTest {
    private static final RandomStream RANDOM = new RandomStream(3);

    /** Du et al.'s H_ij = (1/m) x_i . x_j sum_r 1{w_r . x_i > 0} 1{w_r . x_j > 0}, in double. */
    private static double[][] duKernel(float[] w, int d, int m, double[][] x) {
        int n = x.length;
        double[][] kernel = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < d; k++) {
                    dot += x[i][k] * x[j][k];
                }
                int shared = 0;
                for (int r = 0; r < m; r++) {
                    double zi = 0;
                    double zj = 0;
                    for (int k = 0; k < d; k++) {
                        zi += w[k * m + r] * x[i][k];
                        zj += w[k * m + r] * x[j][k];
                    }
                    shared += zi > 0 && zj > 0 ? 1 : 0;
                }
                kernel[i][j] = dot * shared / m;
            }
        }
        return kernel;
    }

    @Test
    void twoLayerKernelEqualsDuClosedFormOnBothPaths() {
        int d = 3;
        int m = 5;
        double[][] x = {{1, 0.5, -0.2}, {-0.3, 1, 0.8}, {0.6, -0.9, 0.1}, {0.2, 0.4, 1.1}};
        Sequential model = Mlp.twoLayerFixedOutput(d, m, RANDOM.derive("model"));
        float[] w = ((Linear) model.layers().get(0)).weight().data();
        double[][] expected = duKernel(w, d, m, x);

        assertTrue(TangentKernel.isTwoLayerRelu(model));
        assertMatrixEquals(expected, TangentKernel.gram(model, Tensor.matrix(x)), 1e-6);
        assertMatrixEquals(expected, TangentKernel.gradientGram(model, Tensor.matrix(x)), 1e-6);
    }

    @Test
    void trainedOutputLayerAddsItsTermOnBothPaths() {
        Sequential model = Mlp.twoLayerFixedOutput(4, 7, RANDOM.derive("model"));
        model.layers().get(2).unfreeze();
        Tensor x = Tensor.gaussian(RANDOM.derive("inputs"), 1, 6, 4);

        DMatrixRMaj closed = TangentKernel.twoLayerGram(model, x);
        DMatrixRMaj fromGradients = TangentKernel.gradientGram(model, x);

        assertMatrixEquals(toArray(fromGradients), closed, 1e-5);
    }

    @Test
    void gradientKernelMatchesFiniteDifferencesOfASmoothDeepNetwork() {
        Sequential model =
                Mlp.build(2, 3, 3, 1, Init.lecun(), true, () -> Activation.of("tanh"), RANDOM);
        Tensor x = Tensor.matrix(new double[][] {{0.5, -1}, {1.5, 0.3}, {-0.7, 0.2}});
        List<Tensor> parameters = model.trainableParameters();
        int n = 3;
        int count = 0;
        for (Tensor parameter : parameters) {
            count += parameter.numel();
        }
        double[][] jacobian = new double[n][count];
        double step = 1e-2;
        int column = 0;
        for (Tensor parameter : parameters) {
            float[] values = parameter.data();
            for (int k = 0; k < values.length; k++, column++) {
                float saved = values[k];
                values[k] = (float) (saved + step);
                float[] plus = outputs(model, x);
                values[k] = (float) (saved - step);
                float[] minus = outputs(model, x);
                values[k] = saved;
                for (int i = 0; i < n; i++) {
                    jacobian[i][column] = (plus[i] - minus[i]) / (2 * step);
                }
            }
        }
        double[][] expected = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < count; k++) {
                    expected[i][j] += jacobian[i][k] * jacobian[j][k];
                }
            }
        }

        assertFalse(TangentKernel.isTwoLayerRelu(model));
        assertMatrixEquals(expected, TangentKernel.gram(model, x), 1e-3);
    }

    @Test
    void infiniteWidthKernelHasTheArcCosineEntries() {
        double half = Math.sqrt(0.75);
        Tensor x = Tensor.matrix(new double[][] {{1, 0}, {0, 1}, {-1, 0}, {0.5, half}});

        DMatrixRMaj kernel = TangentKernel.infiniteWidthGram(x);

        assertEquals(0.5, kernel.get(0, 0), 1e-12);
        assertEquals(0.0, kernel.get(0, 1), 1e-12);
        assertEquals(0.0, kernel.get(0, 2), 1e-12);
        assertEquals(0.5 * (2.0 / 3) / 2, kernel.get(0, 3), 1e-7);
    }

    @Test
    void wideNetworkKernelIsCloseToTheInfiniteWidthOne() {
        Tensor x = Tensor.gaussian(RANDOM.derive("inputs"), 1, 5, 3);
        Sequential model = Mlp.twoLayerFixedOutput(3, 40_000, RANDOM.derive("wide"));

        DMatrixRMaj finite = TangentKernel.gram(model, x);
        DMatrixRMaj infinite = TangentKernel.infiniteWidthGram(x);

        assertTrue(
                TangentKernel.relativeChange(finite, infinite) < 0.03,
                "relative difference " + TangentKernel.relativeChange(finite, infinite));
    }

    @Test
    void eigenvaluesOfKnownMatrices() {
        DMatrixRMaj pair = new DMatrixRMaj(new double[][] {{2, 1}, {1, 2}});
        DMatrixRMaj tridiagonal = new DMatrixRMaj(new double[][] {{4, 1, 0}, {1, 4, 1}, {0, 1, 4}});

        assertEquals(1.0, TangentKernel.leastEigenvalue(pair), 1e-12);
        assertArrayEquals(
                new double[] {4 - Math.sqrt(2), 4, 4 + Math.sqrt(2)},
                TangentKernel.eigenvalues(tridiagonal),
                1e-12);
        assertEquals(2.0, pair.get(0, 0), "the input is left unchanged");
    }

    @Test
    void relativeChangeOfKnownMatrices() {
        DMatrixRMaj initial = new DMatrixRMaj(new double[][] {{3, 0}, {0, 4}});
        DMatrixRMaj current = new DMatrixRMaj(new double[][] {{3, 1}, {1, 4}});

        assertEquals(Math.sqrt(2) / 5, TangentKernel.relativeChange(current, initial), 1e-12);
    }

    @Test
    void probeOnUntouchedModelReportsNoChange() {
        Sequential model = Mlp.twoLayerFixedOutput(3, 50, RANDOM.derive("model"));
        Tensor x = Tensor.gaussian(RANDOM.derive("inputs"), 1, 8, 3);
        TangentKernel probe = new TangentKernel(model, x, true);

        Map<String, Double> measured = probe.measure(model);

        assertEquals(0.0, measured.get("kernel_relative_change"));
        assertEquals(
                TangentKernel.leastEigenvalue(probe.initialGram()),
                measured.get("kernel_least_eigenvalue"));
    }

    private static float[] outputs(Sequential model, Tensor x) {
        try (NoGrad ignored = NoGrad.enter()) {
            return model.forward(x).data();
        }
    }

    private static double[][] toArray(DMatrixRMaj matrix) {
        double[][] rows = new double[matrix.numRows][matrix.numCols];
        for (int i = 0; i < matrix.numRows; i++) {
            for (int j = 0; j < matrix.numCols; j++) {
                rows[i][j] = matrix.get(i, j);
            }
        }
        return rows;
    }

    private static void assertMatrixEquals(
            double[][] expected, DMatrixRMaj actual, double tolerance) {
        assertEquals(expected.length, actual.numRows);
        double scale = 0;
        for (double[] row : expected) {
            for (double value : row) {
                scale = Math.max(scale, Math.abs(value));
            }
        }
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) {
                assertEquals(
                        expected[i][j],
                        actual.get(i, j),
                        tolerance * Math.max(1, scale),
                        "entry (" + i + ", " + j + ")");
            }
        }
    }
}
