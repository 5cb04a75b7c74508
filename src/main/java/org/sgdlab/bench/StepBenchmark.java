package org.sgdlab.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdlab.data.Dataset;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Mlp;
import org.sgdlab.nn.Sequential;
import org.sgdlab.optim.Sgd;
import org.sgdlab.tensor.Gemm;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;
import org.sgdlab.train.BatchSampler;
import org.sgdlab.train.Sampling;

/**
 * One SGD step (zeroGrad, forward, squared loss, backward, update) of a two-layer ReLU MLP with
 * biases and {@value #OUTPUTS} outputs, at the shapes (batch, inputs, width) of the engine's
 * targets, beside OpenBLAS's time for the step's matrix products alone at the same shapes, timed in
 * interleaved trials.
 *
 * <p>The step's products, for batch B, inputs d, width m and k outputs: the forward X W1 (B x d by
 * d x m) and H W2 (B x m by m x k), and the backward X^T dZ1 (for W1), H^T dY (for W2) and dY W2^T
 * (for the hidden layer). The first and the W1 gradient dominate; the reference times all five
 * through {@code cblas_sgemm}. GFLOP/s counts 2 flops per multiply-add of those products.
 */
public final class StepBenchmark {
    /** Outputs of the benchmarked network. */
    public static final int OUTPUTS = 10;

    /** The shapes (batch, inputs, width) of the engine's targets. */
    public static final int[][] SHAPES = {{1, 100, 1024}, {64, 100, 1024}, {256, 784, 4096}};

    private final Timer timer;

    public StepBenchmark(Timer timer) {
        this.timer = timer;
    }

    /** One row per shape: microseconds per step, per products alone, their ratio, and GFLOP/s. */
    public List<Map<String, Object>> run() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int[] shape : SHAPES) {
            rows.add(measure(shape[0], shape[1], shape[2]));
        }
        return rows;
    }

    /** The measurements at one shape. */
    public Map<String, Object> measure(int batch, int inputs, int width) {
        RandomStream random = new RandomStream(7);
        int examples = Math.max(batch, 512);
        Dataset data =
                new Dataset(
                        "bench",
                        Tensor.gaussian(random.derive("x"), 1, examples, inputs),
                        Tensor.gaussian(random.derive("y"), 1, examples, OUTPUTS),
                        0);
        Sequential model = Mlp.relu(inputs, width, 2, OUTPUTS, Init.he(), random.derive("init"));
        Sgd optimizer = new Sgd(model.parameters(), 1e-4);
        BatchSampler sampler =
                new BatchSampler(data, batch, Sampling.REPLACEMENT, random.derive("batches"));

        Timer.Trials trials =
                timer.interleaved(
                        () -> {
                            var next = sampler.next();
                            optimizer.zeroGrad();
                            Tensor loss = Loss.mse(model.forward(next.x()), next.y());
                            loss.backward();
                            optimizer.step();
                        },
                        products(batch, inputs, width, random));
        double stepMicros = trials.median(0);
        double productMicros = trials.median(1);

        double flops = 2.0 * batch * (2.0 * inputs * width + 3.0 * width * OUTPUTS);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("batch", batch);
        row.put("inputs", inputs);
        row.put("width", width);
        row.put("step_us", stepMicros);
        row.put("blas_products_us", productMicros);
        row.put("step_over_products", trials.medianRatio(0, 1));
        row.put("step_gflops", flops / stepMicros / 1e3);
        row.put("blas_gflops", flops / productMicros / 1e3);
        return row;
    }

    private static Runnable products(int batch, int inputs, int width, RandomStream random) {
        float[] x = Tensor.gaussian(random, 1, batch, inputs).data();
        float[] w1 = Tensor.gaussian(random, 1, inputs, width).data();
        float[] h = new float[batch * width];
        float[] w2 = Tensor.gaussian(random, 1, width, OUTPUTS).data();
        float[] y = new float[batch * OUTPUTS];
        float[] gradW1 = new float[inputs * width];
        float[] gradW2 = new float[width * OUTPUTS];
        float[] gradH = new float[batch * width];
        return () -> {
            Gemm.blas(false, false, batch, width, inputs, 1f, x, w1, 0f, h);
            Gemm.blas(false, false, batch, OUTPUTS, width, 1f, h, w2, 0f, y);
            Gemm.blas(true, false, width, OUTPUTS, batch, 1f, h, y, 0f, gradW2);
            Gemm.blas(false, true, batch, width, OUTPUTS, 1f, y, w2, 0f, gradH);
            Gemm.blas(true, false, inputs, width, batch, 1f, x, gradH, 0f, gradW1);
        };
    }
}
