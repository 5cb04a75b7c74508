package org.sgdlab.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.sgdlab.nn.Loss;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/** Every differentiable operation against central finite differences. */
class GradientCheckTest {
    private static final double STEP = 1e-2;
    private static final double TOLERANCE = 1e-2;

    private final RandomStream random = new RandomStream(42);

    private Tensor gaussian(int... shape) {
        return Tensor.gaussian(random, 1, shape);
    }

    /** Values in [low, high), for functions defined only there or kinked elsewhere. */
    private Tensor uniform(double low, double high, int... shape) {
        return Tensor.uniform(random, low, high, shape);
    }

    /** A random projection, so that the checked scalar depends on every output value. */
    private Supplier<Tensor> projected(Supplier<Tensor> function) {
        Tensor sample = function.get();
        Tensor weights = Tensor.gaussian(random, 1, sample.shape());
        return () -> Ops.sum(Ops.mul(function.get(), weights));
    }

    private void check(String name, Supplier<Tensor> function, Tensor... inputs) {
        double error = GradCheck.maxError(projected(function), List.of(inputs), STEP);
        assertTrue(error < TOLERANCE, name + ": largest relative error " + error);
    }

    @Test
    void matmulAndLinear() {
        Tensor a = gaussian(3, 4);
        Tensor b = gaussian(4, 5);
        check("matmul", () -> Ops.matmul(a, b), a, b);
        Tensor x = gaussian(3, 4);
        Tensor w = gaussian(4, 6);
        Tensor bias = gaussian(6);
        check("linear", () -> Ops.linear(x, w, bias, 0.5f), x, w, bias);
        check("linear without bias", () -> Ops.linear(x, w, null, 1f), x, w);
        Tensor one = gaussian(1, 4);
        check(
                "linear on one example (outer-product gradient)",
                () -> Ops.linear(one, w, bias, 0.5f),
                one,
                w,
                bias);
    }

    /**
     * A quadratic in the weights, so that central differences are exact and a large step keeps the
     * float32 rounding of a sum over 2000 outputs out of the comparison.
     */
    @Test
    void largeProductsThroughBlas() {
        Tensor x = gaussian(40, 30);
        Tensor w = gaussian(30, 50);
        Tensor bias = gaussian(50);
        double error =
                GradCheck.maxError(
                        () -> Ops.sum(Ops.pow(Ops.linear(x, w, bias, 0.2f), 2)),
                        List.of(w, bias),
                        0.5);
        assertTrue(error < TOLERANCE, "linear through OpenBLAS: " + error);
    }

    @Test
    void binaryWithBroadcasting() {
        Tensor a = gaussian(3, 4);
        Tensor b = gaussian(3, 4);
        Tensor row = gaussian(4);
        Tensor positive = uniform(0.5, 2, 4);
        Tensor one = gaussian(1);
        check("add", () -> Ops.add(a, b), a, b);
        check("add row", () -> Ops.add(a, row), a, row);
        check("sub scalar", () -> Ops.sub(a, one), a, one);
        check("mul row", () -> Ops.mul(a, row), a, row);
        check("div row", () -> Ops.div(a, positive), a, positive);
    }

    @Test
    void elementWise() {
        Tensor a = gaussian(2, 5);
        Tensor positive = uniform(0.5, 2, 2, 5);
        Tensor awayFromZero = Tensor.wrap(new float[] {-1.5f, -0.7f, -0.2f, 0.3f, 0.9f, 2f}, 2, 3);
        check("scale", () -> Ops.scale(a, -1.7), a);
        check("addScalar", () -> Ops.addScalar(a, 3), a);
        check("neg", () -> Ops.neg(a), a);
        check("relu", () -> Ops.relu(awayFromZero), awayFromZero);
        check("exp", () -> Ops.exp(a), a);
        check("log", () -> Ops.log(positive), positive);
        check("sin", () -> Ops.sin(a), a);
        check("cos", () -> Ops.cos(a), a);
        check("tanh", () -> Ops.tanh(a), a);
        check("sigmoid", () -> Ops.sigmoid(a), a);
        check("softplus", () -> Ops.softplus(a), a);
        check("square", () -> Ops.pow(a, 2), a);
        check("cube", () -> Ops.pow(a, 3), a);
        check("square root", () -> Ops.pow(positive, 0.5), positive);
    }

    @Test
    void reductionsAndShapes() {
        Tensor a = gaussian(2, 3, 4);
        Tensor m = gaussian(3, 5);
        Tensor other = gaussian(3, 2);
        check("sum", () -> Ops.sum(a), a);
        check("mean", () -> Ops.mean(a), a);
        check("sum axis 0", () -> Ops.sum(a, 0), a);
        check("sum axis 1", () -> Ops.sum(a, 1), a);
        check("mean axis -1", () -> Ops.mean(a, -1), a);
        check("reshape", () -> Ops.reshape(a, 6, 4), a);
        check("transpose", () -> Ops.transpose(m), m);
        check("select rows", () -> Ops.selectRows(m, new int[] {2, 0, 2}), m);
        check("concat rows", () -> Ops.concat(List.of(m, m), 0), m);
        check("concat columns", () -> Ops.concat(List.of(m, other), 1), m, other);
    }

    @Test
    void losses() {
        Tensor logits = gaussian(4, 3);
        Tensor labels = Tensor.vector(0, 2, 1, 2);
        Tensor outputs = gaussian(4, 1);
        Tensor binary = Tensor.vector(1, 0, 0, 1);
        Tensor targets = gaussian(4, 3);
        assertGradient("cross-entropy", () -> Loss.crossEntropy(logits, labels), logits);
        assertGradient("logistic", () -> Loss.logistic(outputs, binary), outputs);
        assertGradient("mse", () -> Loss.mse(logits, targets), logits);
        assertGradient("mse one-hot", () -> Loss.mse(logits, labels), logits);
    }

    private void assertGradient(String name, Supplier<Tensor> loss, Tensor input) {
        double error = GradCheck.maxError(loss, List.of(input), STEP);
        assertTrue(error < TOLERANCE, name + ": largest relative error " + error);
    }
}
