package org.sgdlab.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sgdlab.tensor.Tensor;

/** The bookkeeping of reverse mode: accumulation, zeroing, shared inputs, no-grad scopes. */
class BackwardTest {
    @Test
    void gradientsAccumulateUntilZeroed() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad(true);
        Ops.sum(Ops.scale(x, 2)).backward();
        Ops.sum(Ops.scale(x, 3)).backward();
        assertArrayEquals(new float[] {5, 5, 5}, x.grad().data());

        x.zeroGrad();
        assertNull(x.grad());
        Ops.sum(x).backward();
        assertArrayEquals(new float[] {1, 1, 1}, x.grad().data());
    }

    @Test
    void aTensorUsedTwiceReceivesBothContributions() {
        Tensor x = Tensor.vector(3).requiresGrad(true);
        Tensor y = Ops.add(Ops.mul(x, x), Ops.scale(x, 4));
        Ops.sum(y).backward();
        assertEquals(2 * 3 + 4, x.grad().item());
    }

    @Test
    void noGradScopesRecordNothing() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        Tensor y;
        try (NoGrad ignored = NoGrad.enter()) {
            y = Ops.sum(Ops.mul(x, x));
        }
        assertFalse(y.requiresGrad());
        assertThrows(IllegalStateException.class, y::backward);
        assertEquals(true, NoGrad.gradientsEnabled());
    }

    @Test
    void inputsWithoutGradientReceiveNone() {
        Tensor x = Tensor.vector(1, 2);
        Tensor w = Tensor.vector(3, 4).requiresGrad(true);
        Ops.sum(Ops.mul(x, w)).backward();
        assertNull(x.grad());
        assertArrayEquals(new float[] {1, 2}, w.grad().data());
    }

    @Test
    void shapeMismatchesNameBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4, 5);
        var error = assertThrows(IllegalArgumentException.class, () -> Ops.matmul(a, b));
        assertEquals(
                "matmul needs a [m, k] by [k, n] product, got [2, 3] and [4, 5]",
                error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> Ops.add(a, Tensor.zeros(2)));
        assertEquals(
                "cannot broadcast shape [2] against [2, 3]: the right operand must have the same"
                        + " shape, the trailing shape, or one value",
                error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new float[5], 2, 3));
        assertEquals("shape [2, 3] holds 6 values, got an array of 5", error.getMessage());
    }
}
