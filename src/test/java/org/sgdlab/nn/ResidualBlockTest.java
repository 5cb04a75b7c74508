package org.sgdlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sgdlab.autograd.GradCheck;
import org.sgdlab.autograd.Ops;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class ResidualBlockTest {
    @Test
    void identityBlockKeepsTheShapeAndAddsTheInput() {
        ResidualBlock block = new ResidualBlock(2, 2, 1, false, Init.he(), new RandomStream(71));
        assertFalse(block.hasProjection());
        for (Tensor parameter : block.parameters()) {
            Arrays.fill(parameter.data(), 0f);
        }
        Tensor x = Tensor.gaussian(new RandomStream(72), 1, 2, 2, 5, 5);
        Tensor y = block.forward(x);
        assertArrayEquals(x.shape(), y.shape());
        assertArrayEquals(Ops.relu(x).data(), y.data());
    }

    @Test
    void projectionBlockChangesChannelsAndSize() {
        ResidualBlock block = new ResidualBlock(2, 4, 2, true, Init.he(), new RandomStream(73));
        assertTrue(block.hasProjection());
        assertEquals(
                List.of(
                        "conv1.weight",
                        "bn1.weight",
                        "bn1.bias",
                        "conv2.weight",
                        "bn2.weight",
                        "bn2.bias",
                        "shortcut.0.weight",
                        "shortcut.1.weight",
                        "shortcut.1.bias"),
                List.copyOf(block.namedParameters().keySet()));
        assertEquals(6, block.namedBuffers().size());
        Tensor y = block.forward(Tensor.gaussian(new RandomStream(74), 1, 2, 2, 5, 5));
        assertArrayEquals(new int[] {2, 4, 3, 3}, y.shape());
    }

    @Test
    void gradientsMatchFiniteDifferencesWithAndWithoutBatchNorm() {
        int[][] cases = {{2, 1, 0}, {3, 2, 1}};
        for (int[] c : cases) {
            boolean batchNorm = c[2] == 1;
            RandomStream random = new RandomStream(75 + c[2]);
            ResidualBlock block =
                    new ResidualBlock(2, c[0], c[1], batchNorm, 0.5, Init.he(), random);
            Tensor x = Tensor.gaussian(random, 1, 2, 2, 5, 5);
            Tensor y = block.forward(x);
            Tensor probe = Tensor.gaussian(random, 1, y.shape());
            List<Tensor> inputs = new ArrayList<>(block.parameters());
            inputs.add(x);
            double error =
                    GradCheck.maxError(
                            () -> Ops.sum(Ops.mul(block.forward(x), probe)), inputs, 1e-3);
            assertTrue(error < 1e-2, "batch norm " + batchNorm + ": " + error);
        }
    }
}
