package org.sgdlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sgdlab.autograd.GradCheck;
import org.sgdlab.autograd.Ops;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class ReluRnnTest {
    @Test
    void statesFollowTheRecurrence() {
        RandomStream random = new RandomStream(81);
        ReluRnn rnn = new ReluRnn(3, 4, true, Init.he(), random);
        Tensor x = Tensor.gaussian(random, 1, 2, 5, 3);
        Tensor states = rnn.forward(x);
        assertArrayEquals(new int[] {2, 5, 4}, states.shape());

        float[] a = rnn.inputWeight().data();
        float[] w = rnn.recurrentWeight().data();
        for (int b = 0; b < 2; b++) {
            double[] h = new double[4];
            for (int t = 0; t < 5; t++) {
                double[] next = new double[4];
                for (int j = 0; j < 4; j++) {
                    double sum = 0;
                    for (int i = 0; i < 3; i++) {
                        sum += x.get(b, t, i) * a[i * 4 + j];
                    }
                    for (int i = 0; i < 4; i++) {
                        sum += h[i] * w[i * 4 + j];
                    }
                    next[j] = Math.max(sum, 0);
                    assertEquals(next[j], states.get(b, t, j), 1e-5);
                }
                h = next;
            }
        }
    }

    @Test
    void lastStateIsTheLastOfAllStates() {
        ReluRnn all = new ReluRnn(3, 4, true, Init.he(), new RandomStream(82));
        ReluRnn last = new ReluRnn(3, 4, false, Init.he(), new RandomStream(82));
        Tensor x = Tensor.gaussian(new RandomStream(83), 1, 2, 3, 3);
        Tensor states = all.forward(x);
        Tensor h = last.forward(x);
        assertArrayEquals(new int[] {2, 4}, h.shape());
        for (int j = 0; j < 4; j++) {
            assertEquals(states.get(1, 2, j), h.get(1, j));
        }
    }

    @Test
    void backpropagationThroughTimeMatchesFiniteDifferences() {
        RandomStream random = new RandomStream(84);
        ReluRnn rnn = new ReluRnn(3, 5, true, Init.he(), random);
        for (int i = 0; i < 5; i++) {
            rnn.bias().data()[i] = 0.3f;
        }
        Tensor x = Tensor.gaussian(random, 1, 2, 4, 3);
        Tensor probe = Tensor.gaussian(random, 1, 2, 4, 5);
        List<Tensor> inputs = new ArrayList<>(rnn.parameters());
        inputs.add(x);
        double error =
                GradCheck.maxError(() -> Ops.sum(Ops.mul(rnn.forward(x), probe)), inputs, 1e-3);
        assertTrue(error < 1e-2, "error " + error);
    }

    @Test
    void badInputIsReportedWithBothShapes() {
        ReluRnn rnn = new ReluRnn(3, 4, false, Init.he(), new RandomStream(85));
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class, () -> rnn.forward(Tensor.zeros(2, 5, 2)));
        assertEquals(
                "recurrent network with input weight [3, 4] needs sequences [n, T, 3] with T >= 1,"
                        + " got [2, 5, 2]",
                error.getMessage());
    }
}
