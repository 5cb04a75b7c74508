package org.sgdlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class BatchNormTest {
    @Test
    void runningStatisticsAreBuffersNotParameters() {
        Sequential model = new Sequential(new Flatten(), new BatchNorm(3));
        assertEquals(List.of("1.weight", "1.bias"), List.copyOf(model.namedParameters().keySet()));
        assertEquals(
                List.of("1.running_mean", "1.running_var"),
                List.copyOf(model.namedBuffers().keySet()));
        for (Tensor buffer : model.namedBuffers().values()) {
            assertFalse(buffer.requiresGrad());
        }
        BatchNorm norm = (BatchNorm) model.layers().get(1);
        assertArrayEquals(new float[] {1, 1, 1}, norm.gamma().data());
        assertArrayEquals(new float[] {0, 0, 0}, norm.beta().data());
        assertEquals(
                norm.buffers(),
                Map.of("running_mean", norm.runningMean(), "running_var", norm.runningVariance()));
    }

    @Test
    void trainingModeMovesTheRunningMeanAndEvaluationModeUsesIt() {
        BatchNorm norm = new BatchNorm(2);
        Tensor x = Tensor.gaussian(new RandomStream(61), 1, 8, 2, 3, 3);
        for (int i = 0; i < x.numel(); i++) {
            x.data()[i] += 5;
        }
        for (int step = 0; step < 50; step++) {
            norm.forward(x);
        }
        float[] mean = norm.runningMean().data();
        assertEquals(5, mean[0], 0.5);
        assertEquals(5, mean[1], 0.5);

        norm.train(false);
        Tensor before = norm.runningMean().copy();
        Tensor evaluated = norm.forward(x);
        Tensor again = norm.forward(x);
        assertArrayEquals(before.data(), norm.runningMean().data());
        assertArrayEquals(evaluated.data(), again.data());
        float expected =
                (float)
                        ((x.get(0, 1, 2, 2) - norm.runningMean().get(1))
                                / Math.sqrt(norm.runningVariance().get(1) + 1e-5));
        assertEquals(expected, evaluated.get(0, 1, 2, 2), 1e-5);
    }

    @Test
    void buffersLoadByNameAndShape() {
        BatchNorm source = new BatchNorm(2);
        source.forward(Tensor.gaussian(new RandomStream(62), 2, 4, 2));
        BatchNorm target = new BatchNorm(2);
        target.loadBuffers(source.namedBuffers());
        assertArrayEquals(source.runningMean().data(), target.runningMean().data());
        assertArrayEquals(source.runningVariance().data(), target.runningVariance().data());

        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new BatchNorm(3).loadBuffers(source.namedBuffers()));
        assertEquals(
                "buffer 'running_mean' has shape [3], the values have [2]", error.getMessage());
    }
}
