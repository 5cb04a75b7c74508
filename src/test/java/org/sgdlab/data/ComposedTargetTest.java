package org.sgdlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sgdlab.tensor.RandomStream;

/** The composed target sin(omega sqrt(2/d) sum_i cos(pi x_i)): values, moments, shapes, input. */
class ComposedTargetTest {
    @Test
    void valuesAtChosenPoints() {
        float[] origin = {0, 0, 0, 0};
        assertEquals(Math.sqrt(8), ComposedTarget.inner(origin, 0, 4), 1e-12);
        assertEquals(Math.sin(1.5 * Math.sqrt(8)), ComposedTarget.value(origin, 0, 4, 1.5), 1e-12);

        float[] corners = {9, 1, -1, 1, -1};
        assertEquals(-Math.sqrt(8), ComposedTarget.inner(corners, 1, 4), 1e-6);

        float[] halves = {0.5f, -0.5f};
        assertEquals(0, ComposedTarget.inner(halves, 0, 2), 1e-7);
        assertEquals(0, ComposedTarget.value(halves, 0, 2, 3), 1e-7);
    }

    @Test
    void theInnerSumHasMeanZeroAndVarianceOne() {
        int n = 20_000;
        for (int dimension : new int[] {1, 4, 10}) {
            Split split = ComposedTarget.split(n, 0, dimension, 1.5, new RandomStream(7));
            float[] x = split.train().inputs().data();
            double sum = 0;
            double squares = 0;
            for (int row = 0; row < n; row++) {
                double g = ComposedTarget.inner(x, row * dimension, dimension);
                sum += g;
                squares += g * g;
            }
            double mean = sum / n;
            double variance = squares / n - mean * mean;
            assertEquals(0, mean, 0.03, "mean of g in d=" + dimension);
            assertEquals(1, variance, 0.05, "variance of g in d=" + dimension);
        }
    }

    @Test
    void splitShapesRangeAndReproducibility() {
        Split split = ComposedTarget.split(100, 50, 4, 1.5, new RandomStream(3));
        assertArrayEquals(new int[] {100, 4}, split.train().inputs().shape());
        assertArrayEquals(new int[] {50, 1}, split.test().targets().shape());
        assertEquals(0, split.train().classes());
        for (float value : split.train().inputs().data()) {
            assertTrue(value >= -1 && value <= 1, "input " + value + " outside [-1, 1]");
        }
        float[] x = split.test().inputs().data();
        float[] y = split.test().targets().data();
        for (int row = 0; row < 50; row++) {
            assertEquals(ComposedTarget.value(x, row * 4, 4, 1.5), y[row], 1e-6);
        }
        Split again = ComposedTarget.split(100, 50, 4, 1.5, new RandomStream(3));
        assertArrayEquals(split.train().targets().data(), again.train().targets().data());
    }

    @Test
    void badSizesAndFrequenciesAreNamed() {
        var error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ComposedTarget.split(0, 10, 4, 1.5, new RandomStream(1)));
        assertTrue(error.getMessage().contains("n_train=0"), error.getMessage());
        error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ComposedTarget.split(10, 10, 4, -2, new RandomStream(1)));
        assertEquals(
                "the frequency of a composed target must be a positive number, got -2.0",
                error.getMessage());
    }
}
