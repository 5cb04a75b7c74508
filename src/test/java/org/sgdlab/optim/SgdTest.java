package org.sgdlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sgdlab.autograd.Ops;
import org.sgdlab.nn.Activation;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Linear;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Sequential;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/** SGD checked on values worked out by hand. */
class SgdTest {
    private static final float EXACT = 1e-6f;

    /**
     * x = [1, 2], W1 = [[1, -1], [0.5, 0.5]], b1 = [0, -1]: z = [2, -1], h = [2, 0]; W2 = [0.5,
     * 1]^T, b2 = 0: y = 1; target 3, loss (y - 3)^2 = 4, dL/dy = -4. Then dW2 = [-8, 0], db2 = -4,
     * dz = [-2, 0], dW1 = [[-2, 0], [-4, 0]], db1 = [-2, 0]; with learning rate 0.1 the new weights
     * are W1 = [[1.2, -1], [0.9, 0.5]], b1 = [0.2, -1], W2 = [1.3, 1], b2 = 0.4, and the new
     * prediction is 3.2 * 1.3 + 0.4 = 4.56, loss 2.4336.
     */
    @Test
    void oneStepOfATwoLayerNetworkMatchesTheHandComputation() {
        Linear hidden = new Linear(2, 2, true, Init.he(), new RandomStream(0));
        Linear output = new Linear(2, 1, true, Init.he(), new RandomStream(1));
        set(hidden.weight(), 1, -1, 0.5f, 0.5f);
        set(hidden.bias(), 0, -1);
        set(output.weight(), 0.5f, 1);
        set(output.bias(), 0);
        Sequential model = new Sequential(hidden, Activation.relu(), output);
        Sgd optimizer = new Sgd(model.parameters(), 0.1);
        Tensor x = Tensor.matrix(new double[][] {{1, 2}});
        Tensor target = Tensor.matrix(new double[][] {{3}});

        optimizer.zeroGrad();
        Tensor loss = Loss.mse(model.forward(x), target);
        assertEquals(4f, loss.item(), EXACT);
        loss.backward();
        assertArrayEquals(new float[] {-2, 0, -4, 0}, hidden.weight().grad().data(), EXACT);
        assertArrayEquals(new float[] {-2, 0}, hidden.bias().grad().data(), EXACT);
        assertArrayEquals(new float[] {-8, 0}, output.weight().grad().data(), EXACT);
        assertArrayEquals(new float[] {-4}, output.bias().grad().data(), EXACT);
        optimizer.step();

        assertArrayEquals(new float[] {1.2f, -1, 0.9f, 0.5f}, hidden.weight().data(), EXACT);
        assertArrayEquals(new float[] {0.2f, -1}, hidden.bias().data(), EXACT);
        assertArrayEquals(new float[] {1.3f, 1}, output.weight().data(), EXACT);
        assertArrayEquals(new float[] {0.4f}, output.bias().data(), EXACT);
        assertEquals(2.4336f, Loss.mse(model.forward(x), target).item(), 1e-5f);
    }

    private static void set(Tensor tensor, float... values) {
        System.arraycopy(values, 0, tensor.data(), 0, values.length);
    }

    /** f(p) = p^2 / 2, so the gradient is p; p starts at 1 with learning rate 0.1. */
    private static float[] trajectory(Sgd.Options options, int steps) {
        Tensor p = Tensor.vector(1).requiresGrad(true);
        Sgd optimizer = new Sgd(List.of(p), options.learningRate(0.1));
        float[] values = new float[steps];
        for (int t = 0; t < steps; t++) {
            optimizer.zeroGrad();
            Ops.scale(Ops.sum(Ops.mul(p, p)), 0.5).backward();
            optimizer.step();
            values[t] = p.data()[0];
        }
        return values;
    }

    @Test
    void momentumTakesPyTorchsForm() {
        // b1 = 1, p1 = 0.9; b2 = 0.9 * 1 + 0.9 = 1.8, p2 = 0.9 - 0.18 = 0.72
        assertArrayEquals(
                new float[] {0.9f, 0.72f}, trajectory(Sgd.options().momentum(0.9), 2), EXACT);
    }

    @Test
    void nesterovLooksAhead() {
        // p1 = 1 - 0.1 (1 + 0.9) = 0.81; b2 = 0.9 + 0.81 = 1.71, p2 = 0.81 - 0.1 (0.81 + 1.539)
        assertArrayEquals(
                new float[] {0.81f, 0.5751f},
                trajectory(Sgd.options().momentum(0.9).nesterov(true), 2),
                EXACT);
    }

    @Test
    void weightDecayAddsLambdaTimesTheParameter() {
        // g = p + 0.5 p = 1.5, p1 = 1 - 0.15 = 0.85; then g = 1.275, p2 = 0.85 - 0.1275
        assertArrayEquals(
                new float[] {0.85f, 0.7225f}, trajectory(Sgd.options().weightDecay(0.5), 2), EXACT);
        // with momentum the first step is the same: b1 = g = 1.5, p1 = 0.85; then g = 1.275,
        // b2 = 0.9 * 1.5 + 1.275 = 2.625, p2 = 0.85 - 0.2625
        assertArrayEquals(
                new float[] {0.85f, 0.5875f},
                trajectory(Sgd.options().weightDecay(0.5).momentum(0.9), 2),
                EXACT);
    }

    /**
     * With one example per step the weight gradient stays an outer product and the step applies it
     * without expanding it; reading the gradient first expands it. Both give the same weights.
     */
    @Test
    void outerProductGradientsUpdateLikeExpandedOnes() {
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            RandomStream random = new RandomStream(9);
            Sequential model =
                    org.sgdlab.nn.Mlp.relu(5, 16, 3, 3, Init.he(), random.derive("init"));
            Sgd optimizer = new Sgd(model.parameters(), 0.05);
            for (int step = 0; step < 20; step++) {
                Tensor x = Tensor.gaussian(random.derive("x", step), 1, 1, 5);
                Tensor y = Tensor.vector(step % 3);
                optimizer.zeroGrad();
                Loss.crossEntropy(model.forward(x), y).backward();
                Tensor firstWeight = model.parameters().get(0);
                assertTrue(firstWeight.hasOuterProductGrad(), "held as an outer product");
                if (run == 1) {
                    model.parameters().forEach(Tensor::grad);
                    assertFalse(firstWeight.hasOuterProductGrad(), "expanded when read");
                }
                optimizer.step();
            }
            weights[run] = model.parameters().get(0).data().clone();
        }
        assertArrayEquals(weights[0], weights[1], 1e-5f);
    }

    /**
     * At batch one plain SGD defers the update of a wide first layer to the next forward pass,
     * which applies it while reading the weight. Reading every weight after each step, which
     * applies the update at once, must give the same losses and weights bit for bit.
     */
    @Test
    void deferredUpdatesGiveTheSameTrainingAsUpdatesAppliedAtOnce() {
        float[][] weights = new float[2][];
        float[][] losses = new float[2][30];
        for (int run = 0; run < 2; run++) {
            RandomStream random = new RandomStream(17);
            Sequential model =
                    org.sgdlab.nn.Mlp.relu(20, 256, 3, 4, Init.he(), random.derive("init"));
            Sgd optimizer = new Sgd(model.parameters(), 0.02);
            for (int step = 0; step < 30; step++) {
                Tensor x = Tensor.gaussian(random.derive("x", step), 1, 1, 20);
                optimizer.zeroGrad();
                Tensor loss = Loss.crossEntropy(model.forward(x), Tensor.vector(step % 4));
                losses[run][step] = loss.item();
                loss.backward();
                optimizer.step();
                Tensor first = model.parameters().get(0);
                if (run == 0) {
                    Tensor.DeferredUpdate deferred = first.takeDeferredUpdate();
                    assertTrue(deferred != null, "the first layer's update is deferred");
                    first.deferOuterProduct(deferred.scale(), deferred.left(), deferred.right());
                } else {
                    model.parameters().forEach(Tensor::data);
                }
            }
            weights[run] = model.parameters().get(0).data().clone();
        }
        assertArrayEquals(losses[0], losses[1]);
        assertArrayEquals(weights[0], weights[1]);
    }

    @Test
    void frozenParametersStayFixed() {
        Linear layer = new Linear(3, 2, true, Init.he(), new RandomStream(3));
        layer.freeze();
        float[] before = layer.weight().data().clone();
        Tensor input = Tensor.gaussian(new RandomStream(4), 1, 2, 3).requiresGrad(true);
        Sgd optimizer = new Sgd(layer.parameters(), 0.5);
        optimizer.zeroGrad();
        Ops.sum(layer.forward(input)).backward();
        optimizer.step();
        assertArrayEquals(before, layer.weight().data());
    }

    /**
     * With a zero gradient one step moves p by sigma_t sqrt(eta_t) xi, so the sample variance of
     * the move over n entries is sigma_t^2 eta_t up to a standard error of sigma_t^2 eta_t sqrt(2 /
     * n). Step 0: sigma 2, eta 0.25, variance 1; step 1: sigma 3, eta 1, variance 9; step 2: sigma
     * 0, no move.
     */
    @Test
    void updateNoiseHasVarianceSigmaSquaredTimesTheLearningRate() {
        int n = 40_000;
        Tensor p = Tensor.zeros(n).requiresGrad(true);
        Schedule sigma = step -> step == 0 ? 2 : step == 1 ? 3 : 0;
        Sgd optimizer =
                new Sgd(
                        List.of(p),
                        Sgd.options()
                                .learningRate(Schedule.drop(0.25, 1, 4))
                                .updateNoise(sigma, new RandomStream(5)));
        double[] expected = {1, 9, 0};
        for (double variance : expected) {
            float[] before = p.data().clone();
            optimizer.zeroGrad();
            Ops.scale(Ops.sum(p), 0).backward();
            optimizer.step();
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double move = p.data()[i] - before[i];
                sum += move;
                squares += move * move;
            }
            double mean = sum / n;
            assertEquals(variance, squares / n - mean * mean, 5 * variance * Math.sqrt(2.0 / n));
        }
    }

    @Test
    void invalidSettingsNameTheValue() {
        var error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new Sgd(List.of(), Sgd.options().momentum(1.5)));
        assertEquals("momentum must be in [0, 1), got 1.5", error.getMessage());
        error =
                assertThrows(
                        IllegalArgumentException.class, () -> Sgd.options().learningRate(-0.1));
        assertEquals("learning rate must be positive and finite, got -0.1", error.getMessage());
    }
}
