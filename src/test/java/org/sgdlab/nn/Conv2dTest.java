package org.sgdlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sgdlab.autograd.ConvOps;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class Conv2dTest {
    @Test
    void heInitializationUsesTheFanInOfAPatch() {
        Conv2d conv = new Conv2d(8, 64, 3, 1, 1, true, Init.he(), new RandomStream(51));
        assertArrayEquals(new int[] {64, 8, 3, 3}, conv.weight().shape());
        assertEquals(List.of("weight", "bias"), List.copyOf(conv.namedParameters().keySet()));
        double squares = 0;
        for (float value : conv.weight().data()) {
            squares += value * value;
        }
        assertEquals(2.0 / (8 * 9), squares / conv.weight().numel(), 0.1 * 2.0 / (8 * 9));
        assertEquals(1f, conv.scale());
    }

    @Test
    void ntkParameterizationPutsOneOverSquareRootFanInInTheForwardPass() {
        RandomStream random = new RandomStream(52);
        Conv2d conv = new Conv2d(2, 3, 3, 2, 1, false, Init.ntk(), random.derive("layer"));
        assertEquals((float) (1 / Math.sqrt(18)), conv.scale());
        assertNull(conv.bias());

        Tensor x = Tensor.gaussian(random, 1, 2, 2, 7, 7);
        Tensor expected = ConvOps.conv2d(x, conv.weight(), null, 2, 1, conv.scale());
        Tensor y = conv.forward(x);
        assertArrayEquals(new int[] {2, 3, 4, 4}, y.shape());
        assertEquals(4, conv.outputExtent(7));
        assertArrayEquals(expected.data(), y.data());
    }

    @Test
    void badSizesAreReported() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new Conv2d(3, 0, 3, 1, 1, true, Init.he(), new RandomStream(1)));
        assertEquals(
                "a convolution needs positive sizes, got in=3, out=0, kernel=3",
                error.getMessage());
    }
}
