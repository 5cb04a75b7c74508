package org.sgdlab.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class PoolOpsTest {
    /** One 4x5 image; the last column falls outside every 2x2 window of stride 2. */
    private static final float[] IMAGE = {
        1, 2, 5, 0, 9,
        3, 4, -1, 6, 9,
        -2, 8, 0, 0, 9,
        7, 1, 3, -4, 9,
    };

    @Test
    void maxPoolTakesTheLargestValueOfEachWindow() {
        Tensor x = Tensor.of(IMAGE, 1, 1, 4, 5).requiresGrad(true);
        Tensor y = PoolOps.maxPool2d(x, 2, 2);
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new float[] {4, 6, 8, 3}, y.data());

        y.backward(new float[] {1, 2, 3, 4});
        assertArrayEquals(
                new float[] {
                    0, 0, 0, 0, 0,
                    0, 1, 0, 2, 0,
                    0, 3, 0, 0, 0,
                    0, 0, 4, 0, 0,
                },
                x.grad().data());
    }

    @Test
    void overlappingMaxPoolWindowsAddTheirGradients() {
        Tensor x = Tensor.of(IMAGE, 1, 1, 4, 5).requiresGrad(true);
        Tensor y = PoolOps.maxPool2d(x, 3, 1);
        assertArrayEquals(new float[] {8, 8, 9, 8, 8, 9}, y.data());
        y.backward(new float[] {1, 1, 1, 1, 1, 1});
        assertEquals(4f, x.grad().get(0, 0, 2, 1));
        assertEquals(1f, x.grad().get(0, 0, 0, 4));
        assertEquals(1f, x.grad().get(0, 0, 1, 4));
    }

    @Test
    void avgPoolTakesTheMeanOfEachWindow() {
        Tensor x = Tensor.of(IMAGE, 1, 1, 4, 5).requiresGrad(true);
        Tensor y = PoolOps.avgPool2d(x, 2, 2);
        assertArrayEquals(new float[] {2.5f, 2.5f, 3.5f, -0.25f}, y.data());

        y.backward(new float[] {4, 8, 12, 16});
        assertArrayEquals(
                new float[] {
                    1, 1, 2, 2, 0,
                    1, 1, 2, 2, 0,
                    3, 3, 4, 4, 0,
                    3, 3, 4, 4, 0,
                },
                x.grad().data());
    }

    @Test
    void globalAvgPoolTakesTheMeanOfEachChannel() {
        Tensor x = Tensor.of(IMAGE, 1, 1, 4, 5);
        Tensor twice = Ops.reshape(Ops.concat(List.of(x, Ops.scale(x, 2)), 1), 2, 1, 4, 5);
        Tensor y = PoolOps.globalAvgPool(twice);
        assertArrayEquals(new int[] {2, 1}, y.shape());
        assertArrayEquals(new float[] {3.45f, 6.9f}, y.data(), 1e-6f);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = wellSeparated(new RandomStream(21), 2, 2, 5, 5);
        Tensor probe = Tensor.gaussian(new RandomStream(22), 1, 2, 2, 2, 2);
        Tensor overlapping = Tensor.gaussian(new RandomStream(23), 1, 2, 2, 3, 3);
        Tensor channels = Tensor.gaussian(new RandomStream(24), 1, 2, 2);
        double[] errors = {
            GradCheck.maxError(
                    () -> Ops.sum(Ops.mul(PoolOps.maxPool2d(x, 2, 2), probe)), List.of(x), 1e-3),
            GradCheck.maxError(
                    () -> Ops.sum(Ops.mul(PoolOps.maxPool2d(x, 3, 1), overlapping)),
                    List.of(x),
                    1e-3),
            GradCheck.maxError(
                    () -> Ops.sum(Ops.mul(PoolOps.avgPool2d(x, 2, 2), probe)), List.of(x), 1e-2),
            GradCheck.maxError(
                    () -> Ops.sum(Ops.mul(PoolOps.avgPool2d(x, 3, 1), overlapping)),
                    List.of(x),
                    1e-2),
            GradCheck.maxError(
                    () -> Ops.sum(Ops.mul(PoolOps.globalAvgPool(x), channels)), List.of(x), 1e-2),
        };
        for (double error : errors) {
            assertTrue(error < 1e-2, "error " + error);
        }
    }

    @Test
    void windowsThatDoNotFitAreReportedWithTheShape() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PoolOps.maxPool2d(Tensor.zeros(1, 2, 3, 1), 2, 2));
        assertEquals("maxPool2d window 2x2 does not fit input [1, 2, 3, 1]", error.getMessage());
        IllegalArgumentException rank =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PoolOps.avgPool2d(Tensor.zeros(4, 4), 2, 2));
        assertEquals(
                "avgPool2d needs an input of shape [n, c, h, w], got [4, 4]", rank.getMessage());
        IllegalArgumentException stride =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PoolOps.avgPool2d(Tensor.zeros(1, 1, 4, 4), 2, 0));
        assertEquals(
                "avgPool2d needs kernel >= 1 and stride >= 1, got kernel 2 and stride 0",
                stride.getMessage());
    }

    /** Distinct values at least 0.05 apart in random order, so no max-pool tie is near. */
    static Tensor wellSeparated(RandomStream random, int... shape) {
        int count = Tensor.numel(shape);
        int[] order = random.permutation(count);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = 0.05f * (order[i] - count / 2f);
        }
        return Tensor.wrap(values, shape);
    }
}
