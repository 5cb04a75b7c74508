package org.sgdlab.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class SequenceOpsTest {
    @Test
    void stepSelectsOneTimeStepOfEveryExample() {
        Tensor sequence = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
        Tensor middle = SequenceOps.step(sequence, 1);
        assertArrayEquals(new int[] {2, 2}, middle.shape());
        assertArrayEquals(new float[] {3, 4, 9, 10}, middle.data());
    }

    @Test
    void stackPutsTheStepsBackInOrder() {
        Tensor sequence = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
        Tensor rebuilt =
                SequenceOps.stack(
                        List.of(
                                SequenceOps.step(sequence, 0),
                                SequenceOps.step(sequence, 1),
                                SequenceOps.step(sequence, 2)));
        assertArrayEquals(sequence.shape(), rebuilt.shape());
        assertArrayEquals(sequence.data(), rebuilt.data());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        RandomStream random = new RandomStream(41);
        Tensor sequence = Tensor.gaussian(random, 1, 2, 4, 3);
        Tensor probe = Tensor.gaussian(random, 1, 2, 3, 3);
        double error =
                GradCheck.maxError(
                        () -> {
                            Tensor last = SequenceOps.step(sequence, 3);
                            Tensor stacked =
                                    SequenceOps.stack(
                                            List.of(
                                                    SequenceOps.step(sequence, 1),
                                                    Ops.mul(last, last),
                                                    SequenceOps.step(sequence, 1)));
                            return Ops.sum(Ops.mul(stacked, probe));
                        },
                        List.of(sequence),
                        1e-2);
        assertTrue(error < 1e-2, "error " + error);
    }

    @Test
    void badStepsAndShapesAreReported() {
        IndexOutOfBoundsException step =
                assertThrows(
                        IndexOutOfBoundsException.class,
                        () -> SequenceOps.step(Tensor.zeros(2, 3, 4), 3));
        assertEquals(
                "time step 3 out of range for sequence [2, 3, 4]; allowed: 0..2",
                step.getMessage());
        IllegalArgumentException stack =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> SequenceOps.stack(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4))));
        assertEquals(
                "stack needs steps of one shape [n, d], got [2, 3] and [2, 4]", stack.getMessage());
    }
}
