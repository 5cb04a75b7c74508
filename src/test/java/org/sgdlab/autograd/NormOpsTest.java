package org.sgdlab.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class NormOpsTest {
    private static final double EPSILON = 1e-5;

    @Test
    void trainingModeGivesMeanZeroAndVarianceOnePerChannel() {
        RandomStream random = new RandomStream(31);
        Tensor x = Tensor.gaussian(random, 3, 4, 3, 5, 5);
        for (int i = 0; i < x.numel(); i++) {
            x.data()[i] += 2 * ((i / 25) % 3);
        }
        Tensor y = batchNorm(x, ones(3), zeros(3), zeros(3), ones(3), true, 0.1);

        for (int j = 0; j < 3; j++) {
            double sum = 0;
            double squares = 0;
            for (int b = 0; b < 4; b++) {
                for (int s = 0; s < 25; s++) {
                    float value = y.data()[(b * 3 + j) * 25 + s];
                    sum += value;
                    squares += value * value;
                }
            }
            assertEquals(0, sum / 100, 1e-5);
            assertEquals(1, squares / 100, 1e-3);
        }
    }

    @Test
    void featuresFollowTheHandFormulaAndUpdateTheRunningStatistics() {
        Tensor x = Tensor.matrix(new double[][] {{1, 10}, {2, 20}, {3, 30}, {6, 60}});
        Tensor gamma = Tensor.vector(2, 0.5);
        Tensor beta = Tensor.vector(1, -1);
        Tensor runningMean = Tensor.vector(1, 2);
        Tensor runningVariance = Tensor.vector(1, 4);
        Tensor y = batchNorm(x, gamma, beta, runningMean, runningVariance, true, 0.1);

        double mean = 3;
        double variance = (4 + 1 + 0 + 9) / 4.0;
        for (int i = 0; i < 4; i++) {
            double normalized = (x.get(i, 0) - mean) / Math.sqrt(variance + EPSILON);
            assertEquals(2 * normalized + 1, y.get(i, 0), 1e-5);
            assertEquals(0.5 * normalized - 1, y.get(i, 1), 1e-5);
        }
        double unbiased = variance * 4 / 3;
        assertEquals(0.9 * 1 + 0.1 * mean, runningMean.get(0), 1e-6);
        assertEquals(0.9 * 2 + 0.1 * 10 * mean, runningMean.get(1), 1e-5);
        assertEquals(0.9 * 1 + 0.1 * unbiased, runningVariance.get(0), 1e-6);
        assertEquals(0.9 * 4 + 0.1 * 100 * unbiased, runningVariance.get(1), 1e-4);
    }

    @Test
    void evaluationModeUsesTheRunningStatisticsAndLeavesThemAlone() {
        Tensor x = Tensor.matrix(new double[][] {{1, 10}, {2, 20}});
        Tensor runningMean = Tensor.vector(1, 2);
        Tensor runningVariance = Tensor.vector(4, 9);
        Tensor y =
                batchNorm(
                        x, ones(2), Tensor.vector(0, 1), runningMean, runningVariance, false, 0.1);

        assertEquals((1 - 1) / Math.sqrt(4 + EPSILON), y.get(0, 0), 1e-6);
        assertEquals((20 - 2) / Math.sqrt(9 + EPSILON) + 1, y.get(1, 1), 1e-5);
        assertArrayEquals(new float[] {1, 2}, runningMean.data());
        assertArrayEquals(new float[] {4, 9}, runningVariance.data());
    }

    @Test
    void gradientsMatchFiniteDifferencesInBothModes() {
        RandomStream random = new RandomStream(32);
        Tensor images = Tensor.gaussian(random, 1, 2, 2, 5, 5);
        Tensor features = Tensor.gaussian(random, 1, 6, 3);
        Tensor imageProbe = Tensor.gaussian(random, 1, 2, 2, 5, 5);
        Tensor featureProbe = Tensor.gaussian(random, 1, 6, 3);
        for (boolean training : new boolean[] {true, false}) {
            Tensor gamma = Tensor.vector(1.5, -0.5);
            Tensor beta = Tensor.vector(0.2, 0.3);
            Tensor mean = Tensor.vector(0.1, -0.2);
            Tensor variance = Tensor.vector(0.8, 1.3);
            double imageError =
                    GradCheck.maxError(
                            () ->
                                    Ops.sum(
                                            Ops.mul(
                                                    batchNorm(
                                                            images, gamma, beta, mean, variance,
                                                            training, 0),
                                                    imageProbe)),
                            List.of(images, gamma, beta),
                            1e-2);
            Tensor featureGamma = Tensor.vector(0.7, 1.2, -2);
            Tensor featureBeta = Tensor.vector(0, 1, 2);
            double featureError =
                    GradCheck.maxError(
                            () ->
                                    Ops.sum(
                                            Ops.mul(
                                                    batchNorm(
                                                            features,
                                                            featureGamma,
                                                            featureBeta,
                                                            zeros(3),
                                                            ones(3),
                                                            training,
                                                            0.1),
                                                    featureProbe)),
                            List.of(features, featureGamma, featureBeta),
                            1e-2);
            assertTrue(imageError < 1e-2, "images, training " + training + ": " + imageError);
            assertTrue(featureError < 1e-2, "features, training " + training + ": " + featureError);
        }
    }

    @Test
    void badShapesAreReportedWithBothShapes() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                batchNorm(
                                        Tensor.zeros(4, 3, 2, 2),
                                        ones(2),
                                        zeros(2),
                                        zeros(2),
                                        ones(2),
                                        true,
                                        0.1));
        assertEquals(
                "batch norm of input [4, 3, 2, 2] needs 3 values per statistic and parameter,"
                        + " got shape [2]",
                error.getMessage());
        IllegalArgumentException single =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                batchNorm(
                                        Tensor.zeros(1, 2),
                                        ones(2),
                                        zeros(2),
                                        zeros(2),
                                        ones(2),
                                        true,
                                        0.1));
        assertEquals(
                "batch norm in training mode needs more than one value per channel, got input"
                        + " [1, 2]",
                single.getMessage());
    }

    private static Tensor batchNorm(
            Tensor x,
            Tensor gamma,
            Tensor beta,
            Tensor mean,
            Tensor variance,
            boolean training,
            double momentum) {
        return NormOps.batchNorm(x, gamma, beta, mean, variance, training, momentum, EPSILON);
    }

    private static Tensor ones(int size) {
        return Tensor.full(1, size);
    }

    private static Tensor zeros(int size) {
        return Tensor.zeros(size);
    }
}
