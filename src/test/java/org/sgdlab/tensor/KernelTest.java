package org.sgdlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The batch-one kernels: outer-product updates, short rows, and the helper thread. */
class KernelTest {
    @AfterEach
    void restoreTheHelper() {
        HelperThread.setEnabled(true);
    }

    @ParameterizedTest
    @CsvSource({"100,1024", "1024,10", "7,16", "5,9", "300,130", "3,3", "4096,10"})
    void anOuterProductUpdateMatchesItsDefinition(int m, int n) {
        RandomStream random = new RandomStream(m * 31L + n);
        float[] x = reluOf(Tensor.gaussian(random, 1, m).data());
        float[] y = Tensor.gaussian(random, 1, n).data();
        float[] start = Tensor.gaussian(random, 1, m * n).data();

        float[] updated = start.clone();
        Gemm.addOuterProduct(-0.25f, x, y, updated);

        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = start[i * n + j] - 0.25 * x[i] * y[j];
                assertEquals(expected, updated[i * n + j], 1e-5, "at " + i + ", " + j);
            }
        }
    }

    @Test
    void anOuterProductThatDoesNotFitIsRefusedWithItsShape() {
        var error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Gemm.addOuterProduct(1f, new float[3], new float[4], new float[11]));
        assertTrue(error.getMessage().contains("3 x 4"), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"1,1024,100", "1,4096,100", "2,512,300"})
    void productsAndUpdatesAreTheSameWithAndWithoutTheHelper(int m, int n, int k) {
        RandomStream random = new RandomStream(m + n + k);
        float[] a = reluOf(Tensor.gaussian(random, 1, m * k).data());
        float[] b = Tensor.gaussian(random, 1, k * n).data();
        float[] start = Tensor.gaussian(random, 1, m * n).data();
        float[] left = Tensor.gaussian(random, 1, k).data();
        float[] right = Tensor.gaussian(random, 1, n).data();

        HelperThread.setEnabled(true);
        float[] withHelper = start.clone();
        float[] updatedWithHelper = b.clone();
        for (int repeat = 0; repeat < 50; repeat++) {
            Gemm.java(false, false, m, n, k, 0.5f, a, b, 1f, withHelper);
            Gemm.addOuterProduct(0.01f, left, right, updatedWithHelper);
        }
        HelperThread.setEnabled(false);
        float[] alone = start.clone();
        float[] updatedAlone = b.clone();
        for (int repeat = 0; repeat < 50; repeat++) {
            Gemm.java(false, false, m, n, k, 0.5f, a, b, 1f, alone);
            Gemm.addOuterProduct(0.01f, left, right, updatedAlone);
        }

        assertArrayEquals(alone, withHelper);
        assertArrayEquals(updatedAlone, updatedWithHelper);
    }

    @ParameterizedTest
    @CsvSource({"1024,100,true", "1024,100,false", "4096,100,true", "64,20,true", "70,300,true"})
    void aProductAfterADeferredUpdateIsBitForBitTheUpdateThenTheProduct(
            int n, int k, boolean helper) {
        RandomStream random = new RandomStream(n * 7L + k);
        float[] a = reluOf(Tensor.gaussian(random, 1, k).data());
        float[] b = Tensor.gaussian(random, 1, k * n).data();
        float[] bias = Tensor.gaussian(random, 1, n).data();
        float[] u = reluOf(Tensor.gaussian(random, 1, k).data());
        float[] v = reluOf(Tensor.gaussian(random, 1, n).data());
        HelperThread.setEnabled(helper);

        float[] applied = b.clone();
        float[] expected = bias.clone();
        Gemm.addOuterProduct(-0.03f, u, v, applied);
        Gemm.multiply(false, false, 1, n, k, 0.7f, a, applied, 1f, expected);
        float[] fused = b.clone();
        float[] product = bias.clone();
        Gemm.multiplyAfterOuterProduct(
                n, k, 0.7f, a, fused, 1f, product, new Tensor.DeferredUpdate(-0.03f, u, v));

        assertArrayEquals(applied, fused);
        assertArrayEquals(expected, product);
    }

    @ParameterizedTest
    @CsvSource({"1024,10", "1000,10", "37,3", "17,1", "64,15", "5,7", "300,12"})
    void shortRowsOfAnOuterProductMatchTheirDefinitionRowByRow(int m, int n) {
        RandomStream random = new RandomStream(m * 13L + n);
        float[] x = reluOf(Tensor.gaussian(random, 1, m).data());
        float[] y = Tensor.gaussian(random, 1, n).data();
        float[] start = Tensor.gaussian(random, 1, m * n).data();
        int from = Math.min(3, m);
        int to = m - Math.min(2, m - from);

        float[] updated = start.clone();
        VectorMath.addOuterShortRows(0.5f, x, y, updated, from, to);

        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double change = i >= from && i < to ? 0.5 * x[i] * y[j] : 0;
                assertEquals(
                        start[i * n + j] + change, updated[i * n + j], 1e-5, "at " + i + ", " + j);
            }
        }
    }

    @Test
    void aDeferredUpdateIsAppliedWhenTheValuesAreRead() {
        Tensor weight = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        weight.deferOuterProduct(2f, new float[] {1, 0}, new float[] {1, 2, 3});

        assertEquals(1f + 2f, weight.get(0, 0));
        assertArrayEquals(new float[] {3, 6, 9, 4, 5, 6}, weight.data());
        assertEquals(null, weight.takeDeferredUpdate());
        assertThrows(
                IllegalArgumentException.class,
                () -> weight.deferOuterProduct(1f, new float[3], new float[3]));
    }

    @Test
    void theHelperRunsBothHalvesAndPassesOnAFailureOfEither() {
        AtomicInteger runs = new AtomicInteger();
        for (int repeat = 0; repeat < 1000; repeat++) {
            HelperThread.run(runs::incrementAndGet, runs::incrementAndGet);
        }
        assertEquals(2000, runs.get());

        var first =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                HelperThread.run(
                                        () -> {
                                            throw new IllegalStateException("first");
                                        },
                                        runs::incrementAndGet));
        assertEquals("first", first.getMessage());
        for (int repeat = 0; repeat < 20; repeat++) {
            var second =
                    assertThrows(
                            ArithmeticException.class,
                            () ->
                                    HelperThread.run(
                                            runs::incrementAndGet,
                                            () -> {
                                                throw new ArithmeticException("second");
                                            }));
            assertEquals("second", second.getMessage());
        }
        HelperThread.run(runs::incrementAndGet, runs::incrementAndGet);
    }

    @Test
    void halvesRunOnceEachNestedOrFailingAndTheirProductsAreRight() {
        RandomStream random = new RandomStream(5);
        float[] a = Tensor.gaussian(random, 1, 64 * 144).data();
        float[] b = Tensor.gaussian(random, 1, 144 * 800).data();
        float[] alone = new float[64 * 800];
        Gemm.blas(false, false, 64, 800, 144, 1f, a, b, 0f, alone);
        float[][] halves = {new float[alone.length], new float[alone.length]};
        AtomicInteger runs = new AtomicInteger();

        Gemm.setThreads(2);
        try {
            Gemm.inHalves(
                    () -> Gemm.blas(false, false, 64, 800, 144, 1f, a, b, 0f, halves[0]),
                    () -> {
                        Gemm.blas(false, false, 64, 800, 144, 1f, a, b, 0f, halves[1]);
                        Gemm.inHalves(runs::incrementAndGet, runs::incrementAndGet);
                    });
            var failure =
                    assertThrows(
                            ArithmeticException.class,
                            () ->
                                    Gemm.inHalves(
                                            runs::incrementAndGet,
                                            () -> {
                                                throw new ArithmeticException("second");
                                            }));
            assertEquals("second", failure.getMessage());
            Gemm.inHalves(runs::incrementAndGet, runs::incrementAndGet);
        } finally {
            Gemm.setThreads(Runtime.getRuntime().availableProcessors());
        }

        assertEquals(5, runs.get());
        assertArrayEquals(alone, halves[0], 1e-4f);
        assertArrayEquals(alone, halves[1], 1e-4f);
    }

    @Test
    void shortRowDotsNeverTakeInValuesOfTheNextRow() {
        int k = 10;
        int n = 6;
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        float[] b = new float[n * k];
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) {
                b[j * k + p] = j == 3 ? Float.NaN : p - j;
            }
        }

        float[] c = new float[n];
        VectorMath.shortRowDots(a, 0, b, n, k, c, 0);

        for (int j = 0; j < n; j++) {
            double expected = 0;
            for (int p = 0; p < k; p++) {
                expected += a[p] * b[j * k + p];
            }
            assertEquals(expected, c[j], 1e-4, "row " + j);
        }
    }

    @Test
    void aShortRowUpdateChangesItsRowOnly() {
        int lanes = VectorMath.columnBlock() / 2;
        for (int length = lanes; length <= 2 * lanes; length++) {
            float[] x = new float[length];
            for (int i = 0; i < length; i++) {
                x[i] = i + 1;
            }
            float[] y = new float[length + 6];
            java.util.Arrays.fill(y, 1f);

            VectorMath.axpyShort(2f, x, y, 3, length);

            for (int i = 0; i < y.length; i++) {
                boolean inside = i >= 3 && i < 3 + length;
                assertEquals(
                        inside ? 1f + 2f * (i - 2) : 1f, y[i], "length " + length + " at " + i);
            }
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> VectorMath.axpyShort(1f, new float[1], new float[1], 0, 1));
    }

    private static float[] reluOf(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.max(values[i], 0f);
        }
        return values;
    }
}
