package org.sgdlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sgdlab.optim.Sgd;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class ArchitecturesTest {
    @Test
    void smallCnnMapsImagesToClassScores() {
        Sequential cnn = Cnn.small(1, 28, 28, 10, 1, Init.he(), new RandomStream(91));
        Tensor y = cnn.forward(Tensor.gaussian(new RandomStream(92), 1, 2, 1, 28, 28));
        assertArrayEquals(new int[] {2, 10}, y.shape());
        long expected = (16 * 9 + 16) + (32 * 16 * 9 + 32) + (32 * 7 * 7 * 10 + 10);
        assertEquals(expected, cnn.parameterCount());

        Sequential wide = Cnn.small(3, 10, 9, 4, 2, Init.he(), new RandomStream(91));
        assertArrayEquals(
                new int[] {2, 4},
                wide.forward(Tensor.gaussian(new RandomStream(93), 1, 2, 3, 10, 9)).shape());
    }

    @Test
    void smallResNetHasThreeStagesOfGrowingWidth() {
        Sequential resnet = ResNet.small(1, 10, 1, 1, true, Init.he(), new RandomStream(94));
        Tensor y = resnet.forward(Tensor.gaussian(new RandomStream(95), 1, 2, 1, 28, 28));
        assertArrayEquals(new int[] {2, 10}, y.shape());
        assertEquals(77_754, resnet.parameterCount());

        Sequential plain = ResNet.small(3, 5, 2, 2, false, Init.he(), new RandomStream(94));
        assertEquals(0, plain.namedBuffers().size());
        assertArrayEquals(
                new int[] {2, 5},
                plain.forward(Tensor.gaussian(new RandomStream(96), 1, 2, 3, 12, 12)).shape());
    }

    @Test
    void sgdFitsASmallBatchWithEitherNetwork() {
        RandomStream random = new RandomStream(97);
        Tensor x = Tensor.gaussian(random, 1, 6, 1, 8, 8);
        Tensor labels = Tensor.vector(0, 1, 2, 0, 1, 2);
        Sequential[] models = {
            Cnn.small(1, 8, 8, 3, 1, Init.he(), random.derive("cnn")),
            ResNet.small(1, 3, 1, 1, true, Init.he(), random.derive("resnet")),
        };
        for (Sequential model : models) {
            Sgd optimizer = new Sgd(model.parameters(), 0.05);
            float first = Float.NaN;
            float last = Float.NaN;
            for (int step = 0; step < 20; step++) {
                optimizer.zeroGrad();
                Tensor loss = Loss.crossEntropy(model.forward(x), labels);
                loss.backward();
                optimizer.step();
                last = loss.item();
                first = step == 0 ? last : first;
            }
            assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
        }
    }

    @Test
    void badSizesAreReported() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Cnn.small(1, 3, 28, 10, 1, Init.he(), new RandomStream(1)));
        assertEquals(
                "the small CNN pools twice by 2 and needs images of at least 4x4, got 3x28",
                error.getMessage());
    }
}
