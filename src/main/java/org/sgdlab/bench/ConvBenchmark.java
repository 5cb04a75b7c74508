package org.sgdlab.bench;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.sgdlab.autograd.Ops;
import org.sgdlab.nn.Cnn;
import org.sgdlab.nn.Conv2d;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Module;
import org.sgdlab.nn.ResidualBlock;
import org.sgdlab.nn.Sequential;
import org.sgdlab.optim.Sgd;
import org.sgdlab.tensor.Gemm;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * Convolutions on 28x28 images (Fashion-MNIST's size) at batch {@value #BATCH} (or another batch
 * size), beside OpenBLAS's time for the same matrix products at the same shapes, measured in the
 * same run.
 *
 * <p>A convolution with o output channels, patches of K = c kh kw values and P output positions per
 * image does n P o K multiply-adds in each of its three matrix products: the forward product and,
 * in the backward pass, the weight gradient and (when the input needs one) the input gradient.
 * GFLOP/s counts 2 flops per multiply-add of those products only. The references time the same
 * products (the forward W X, dY X^T and W^T dY on the unrolled [K, n P] patches) through {@code
 * cblas_sgemm} twice: {@code blas} on Java arrays with {@link Gemm#blas(boolean, boolean, int, int,
 * int, float, float[], float[], float, float[])}, the binding's copies of the arrays included, and
 * {@code blas_direct} on direct buffers, which the binding passes without a copy: OpenBLAS's own
 * rate. The fractions are the reference's time over the measured time: the share of OpenBLAS's rate
 * that the whole operation keeps after unrolling the patches, permuting the layout and folding the
 * gradient back (and, in the steps, running the other layers). The first convolution of the CNN,
 * with one input channel, runs as a {@link org.sgdlab.tensor.DirectConvolution} and makes none of
 * those products; its row compares it with them all the same, the work that an im2col layer would
 * hand to OpenBLAS.
 *
 * <p>The rows:
 *
 * <ul>
 *   <li>one forward and backward pass of each convolution of the small CNN ({@link Cnn#small} at
 *       width 1: 1 to 16 channels at 28x28, and 16 to 32 channels at 14x14) and of the ResNet's
 *       first stage (16 to 16 channels at 28x28);
 *   <li>one SGD step (zeroGrad, forward, cross-entropy, backward, update) of the small CNN, all its
 *       layers included, with the rate of its two convolutions;
 *   <li>one SGD step of a {@link ResidualBlock} with batch normalization at 16 channels on 28x28
 *       inputs that need a gradient, as inside a network, with the rate of its two convolutions.
 * </ul>
 */
public final class ConvBenchmark {
    /** Images per batch, unless another size is given. */
    public static final int BATCH = 64;

    /** Height and width of the images. */
    public static final int SIZE = 28;

    private final Timer timer;
    private final int batch;

    /** The benchmark at batch {@value #BATCH}. */
    public ConvBenchmark(Timer timer) {
        this(timer, BATCH);
    }

    /** The benchmark at another batch size. */
    public ConvBenchmark(Timer timer, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        this.timer = timer;
        this.batch = batch;
    }

    /** One row per measurement; every ratio compares two timings of this run. */
    public List<Map<String, Object>> run() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(convolution("cnn conv1 1->16 @28", 1, 16, SIZE, false));
        rows.add(convolution("cnn conv2 16->32 @14", 16, 32, SIZE / 2, true));
        rows.add(convolution("resnet conv 16->16 @28", 16, 16, SIZE, true));
        rows.add(cnnStep());
        rows.add(blockStep());
        return rows;
    }

    /** Forward and backward of one 3x3 convolution with padding 1. */
    private Map<String, Object> convolution(
            String name, int inChannels, int outChannels, int size, boolean inputGradient) {
        RandomStream random = new RandomStream(17).derive(name);
        Conv2d conv = new Conv2d(inChannels, outChannels, 3, 1, 1, true, Init.he(), random);
        Tensor x = Tensor.gaussian(random, 1, batch, inChannels, size, size);
        x.requiresGrad(inputGradient);
        Tensor probe = Tensor.gaussian(random, 1, batch, outChannels, size, size);

        Runnable pass =
                () -> {
                    conv.zeroGrad();
                    x.zeroGrad();
                    conv.forward(x).backward(probe.data());
                };
        Shape shape = new Shape(inChannels * 9, outChannels, batch * size * size, inputGradient);
        return row(name, pass, List.of(shape));
    }

    private Map<String, Object> cnnStep() {
        RandomStream random = new RandomStream(18);
        Sequential cnn = Cnn.small(1, SIZE, SIZE, 10, 1, Init.he(), random.derive("model"));
        Tensor x = Tensor.gaussian(random, 1, batch, 1, SIZE, SIZE);
        Tensor labels = randomLabels(random, 10);
        Runnable step = step(cnn, () -> Loss.crossEntropy(cnn.forward(x), labels));
        int quarter = SIZE / 2;
        List<Shape> shapes =
                List.of(
                        new Shape(9, 16, batch * SIZE * SIZE, false),
                        new Shape(16 * 9, 32, batch * quarter * quarter, true));
        return row("cnn step", step, shapes);
    }

    private Map<String, Object> blockStep() {
        RandomStream random = new RandomStream(19);
        ResidualBlock block = new ResidualBlock(16, 16, 1, true, Init.he(), random);
        Tensor x = Tensor.gaussian(random, 1, batch, 16, SIZE, SIZE).requiresGrad(true);
        Tensor probe = Tensor.gaussian(random, 1, batch, 16, SIZE, SIZE);
        Runnable step =
                step(
                        block,
                        () -> {
                            x.zeroGrad();
                            return Ops.mean(Ops.mul(block.forward(x), probe));
                        });
        Shape shape = new Shape(16 * 9, 16, batch * SIZE * SIZE, true);
        return row("resnet block step", step, List.of(shape, shape));
    }

    private static Runnable step(Module model, Supplier<Tensor> loss) {
        Sgd optimizer = new Sgd(model.parameters(), 1e-4);
        return () -> {
            optimizer.zeroGrad();
            loss.get().backward();
            optimizer.step();
        };
    }

    private Map<String, Object> row(String name, Runnable work, List<Shape> shapes) {
        Timer.Trials trials =
                timer.interleaved(work, products(shapes, false), products(shapes, true));
        double micros = trials.median(0);
        double blasMicros = trials.median(1);
        double directMicros = trials.median(2);
        double flops = 0;
        for (Shape shape : shapes) {
            flops += shape.flops();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("benchmark", name);
        row.put("batch", batch);
        row.put("time_us", micros);
        row.put("blas_us", blasMicros);
        row.put("blas_direct_us", directMicros);
        row.put("gflops", flops / micros / 1e3);
        row.put("blas_gflops", flops / blasMicros / 1e3);
        row.put("blas_direct_gflops", flops / directMicros / 1e3);
        row.put("fraction_of_blas", trials.medianRatio(1, 0));
        row.put("fraction_of_direct", trials.medianRatio(2, 0));
        return row;
    }

    /** The convolutions' products through cblas_sgemm, on random data of the same shapes. */
    private static Runnable products(List<Shape> shapes, boolean direct) {
        List<Runnable> parts = new ArrayList<>();
        RandomStream random = new RandomStream(20);
        for (Shape shape : shapes) {
            int k = shape.patch;
            int o = shape.outChannels;
            int columns = shape.columns;
            float[] weight = Tensor.gaussian(random, 1, o, k).data();
            float[] patches = Tensor.gaussian(random, 1, k, columns).data();
            float[] output = new float[o * columns];
            float[] gradWeight = new float[o * k];
            float[] gradPatches = new float[k * columns];
            if (direct) {
                FloatBuffer w = buffer(weight);
                FloatBuffer x = buffer(patches);
                FloatBuffer y = buffer(output);
                FloatBuffer dw = buffer(gradWeight);
                FloatBuffer dx = buffer(gradPatches);
                parts.add(
                        () -> {
                            Gemm.blas(false, false, o, columns, k, 1f, w, x, 0f, y);
                            Gemm.blas(false, true, o, k, columns, 1f, y, x, 0f, dw);
                            if (shape.inputGradient) {
                                Gemm.blas(true, false, k, columns, o, 1f, w, y, 0f, dx);
                            }
                        });
            } else {
                parts.add(
                        () -> {
                            Gemm.blas(false, false, o, columns, k, 1f, weight, patches, 0f, output);
                            Gemm.blas(
                                    false,
                                    true,
                                    o,
                                    k,
                                    columns,
                                    1f,
                                    output,
                                    patches,
                                    0f,
                                    gradWeight);
                            if (shape.inputGradient) {
                                Gemm.blas(
                                        true,
                                        false,
                                        k,
                                        columns,
                                        o,
                                        1f,
                                        weight,
                                        output,
                                        0f,
                                        gradPatches);
                            }
                        });
            }
        }
        return () -> parts.forEach(Runnable::run);
    }

    private static FloatBuffer buffer(float[] values) {
        FloatBuffer buffer = Gemm.directBuffer(values.length);
        buffer.put(0, values);
        return buffer;
    }

    private Tensor randomLabels(RandomStream random, int classes) {
        float[] labels = new float[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(classes);
        }
        return Tensor.wrap(labels, batch);
    }

    /** A convolution as products: patches of K values, o outputs, n P columns. */
    private record Shape(int patch, int outChannels, int columns, boolean inputGradient) {
        double flops() {
            double multiplyAdds = (double) patch * outChannels * columns;
            return 2 * multiplyAdds * (inputGradient ? 3 : 2);
        }
    }
}
