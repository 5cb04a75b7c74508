package org.sgdlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sgdlab.data.Dataset;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Linear;
import org.sgdlab.nn.Loss;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/** The batch gradient variance against an enumeration of every batch. */
class GradientNoiseTest {
    /** f(x) = w x with w = 0 on x = 1 and y = 0, 1, 2, 3: with MSE, g_i = -2 y_i. */
    private static Linear line() {
        Linear line = new Linear(1, 1, false, Init.he(), new RandomStream(1));
        line.parameters().get(0).data()[0] = 0;
        return line;
    }

    private static Dataset data() {
        return new Dataset(
                "line",
                Tensor.matrix(new double[][] {{1}, {1}, {1}, {1}}),
                Tensor.matrix(new double[][] {{0}, {1}, {2}, {3}}),
                0);
    }

    /**
     * Every batch of two distinct examples out of four, equally likely: the variance of their mean
     * gradient over the six batches is the value.
     */
    @Test
    void theVarianceIsThatOfTheMeanOverEveryBatchOfDistinctExamples() {
        double[] gradients = {0, -2, -4, -6};
        double sum = 0;
        double squares = 0;
        int batches = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                double mean = (gradients[i] + gradients[j]) / 2;
                sum += mean;
                squares += mean * mean;
                batches++;
            }
        }
        double expected = squares / batches - (sum / batches) * (sum / batches);

        Linear line = line();
        assertEquals(expected, GradientNoise.batchVariance(line, Loss.MSE, data(), 2), 1e-6);
        assertEquals(5.0 / 3, expected, 1e-12);
        assertEquals(0, line.parameters().get(0).data()[0]);
        assertFalse(line.parameters().get(0).hasGrad());
    }

    @Test
    void aBatchOfEveryExampleHasNoNoise() {
        assertEquals(0, GradientNoise.batchVariance(line(), Loss.MSE, data(), 4), 1e-9);
    }

    @Test
    void aBatchLargerThanTheDataIsNamed() {
        var error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> GradientNoise.batchVariance(line(), Loss.MSE, data(), 5));
        assertEquals("batchSize must be in [1, 4] for 4 examples, got 5", error.getMessage());
    }
}
