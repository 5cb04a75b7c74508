package org.sgdlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both product paths against a direct triple loop, in every transpose form. */
class GemmTest {
    @ParameterizedTest
    @CsvSource({
        "1,100,64",
        "3,5,7",
        "64,10,30",
        "40,3,50",
        "5,40,2",
        "1,1,1",
        "70,90,80",
        "300,12,20",
        "300,1,50",
        "7,1,3",
        "2,1024,10",
        "1,10,1024",
        "1,1024,100",
        "1,15,9",
        "3,9,33",
        "1,40,6",
        "2,7,1"
    })
    void javaAndBlasAgreeWithTheDefinition(int m, int n, int k) {
        RandomStream random = new RandomStream(m * 1000L + n * 10L + k);
        for (boolean transposeA : new boolean[] {false, true}) {
            for (boolean transposeB : new boolean[] {false, true}) {
                float[] a = Tensor.gaussian(random, 1, m * k).data();
                float[] b = Tensor.gaussian(random, 1, k * n).data();
                float[] start = Tensor.gaussian(random, 1, m * n).data();
                for (float beta : new float[] {0f, 1f, 0.5f}) {
                    double[] expected =
                            direct(transposeA, transposeB, m, n, k, 1.5f, a, b, beta, start);
                    float[] viaJava = start.clone();
                    Gemm.java(transposeA, transposeB, m, n, k, 1.5f, a, b, beta, viaJava);
                    float[] viaBlas = start.clone();
                    Gemm.blas(transposeA, transposeB, m, n, k, 1.5f, a, b, beta, viaBlas);
                    for (int i = 0; i < m * n; i++) {
                        double tolerance = 1e-4 * (Math.abs(expected[i]) + k);
                        String form = "tA=" + transposeA + " tB=" + transposeB + " beta=" + beta;
                        assertEquals(expected[i], viaJava[i], tolerance, "java " + form);
                        assertEquals(expected[i], viaBlas[i], tolerance, "blas " + form);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1024,100", "5,64,33", "1,10,512"})
    void theJavaPathSkipsZeroRowsOfAWithoutChangingTheProduct(int m, int n, int k) {
        RandomStream random = new RandomStream(m + n + k);
        float[] a = Tensor.gaussian(random, 1, m * k).data();
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(a[i], 0f);
        }
        float[] b = Tensor.gaussian(random, 1, k * n).data();
        for (boolean transposeA : new boolean[] {false, true}) {
            double[] expected =
                    direct(transposeA, false, m, n, k, 0.5f, a, b, 0f, new float[m * n]);
            float[] c = new float[m * n];
            java.util.Arrays.fill(c, Float.NaN);
            Gemm.java(transposeA, false, m, n, k, 0.5f, a, b, 0f, c);
            for (int i = 0; i < m * n; i++) {
                assertEquals(expected[i], c[i], 1e-4 * (Math.abs(expected[i]) + k), "at " + i);
            }
        }
    }

    private static double[] direct(
            boolean transposeA,
            boolean transposeB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float beta,
            float[] c) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double left = transposeA ? a[p * m + i] : a[i * k + p];
                    double right = transposeB ? b[j * k + p] : b[p * n + j];
                    sum += left * right;
                }
                out[i * n + j] = alpha * sum + (beta == 0f ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }
}
