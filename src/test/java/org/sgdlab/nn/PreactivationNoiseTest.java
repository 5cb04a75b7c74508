package org.sgdlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sgdlab.autograd.Ops;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/** Pre-activation noise: its variance at chosen steps, its phase, and its gradient. */
class PreactivationNoiseTest {
    private static final int COUNT = 40_000;

    /** The sample variance of the noise h - z over COUNT entries. */
    private static double noiseVariance(PreactivationNoise noise, Tensor input) {
        float[] output = noise.forward(input).data();
        float[] values = input.data();
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < output.length; i++) {
            double d = output[i] - values[i];
            sum += d;
            squares += d * d;
        }
        double mean = sum / output.length;
        return squares / output.length - mean * mean;
    }

    @Test
    void theVarianceIsSigmaSquaredAtEachStepOfTheSchedule() {
        // sigma_t = 4 for t < 2, then 1 for t < 3, then 0
        PreactivationNoise noise =
                new PreactivationNoise(t -> t < 2 ? 4 : t < 3 ? 1 : 0, new RandomStream(1));
        Tensor input = Tensor.gaussian(new RandomStream(2), 1, 200, COUNT / 200);
        // the sample variance of n normal draws has standard error sigma^2 sqrt(2 / n)
        double relative = 5 * Math.sqrt(2.0 / COUNT);
        assertEquals(16, noiseVariance(noise, input), 16 * relative);
        assertEquals(16, noiseVariance(noise, input), 16 * relative);
        assertEquals(1, noiseVariance(noise, input), relative);
        assertEquals(3, noise.step());
        assertArrayEquals(input.data(), noise.forward(input).data());
        assertEquals(4, noise.step());
    }

    @Test
    void evaluationModeAddsNothingAndCountsNoStep() {
        PreactivationNoise noise = new PreactivationNoise(t -> 4, new RandomStream(1));
        Tensor input = Tensor.gaussian(new RandomStream(2), 1, 3, 5);
        noise.train(false);
        assertArrayEquals(input.data(), noise.forward(input).data());
        assertEquals(0, noise.step());
        noise.train(true);
        noise.setStep(10);
        noise.forward(input);
        assertEquals(11, noise.step());
    }

    @Test
    void theGradientPassesThroughUnchanged() {
        PreactivationNoise noise = new PreactivationNoise(t -> 2, new RandomStream(1));
        Tensor input = Tensor.gaussian(new RandomStream(2), 1, 2, 3).requiresGrad(true);
        Tensor weights = Tensor.vector(1, -2, 3, 0.5, 0, 7).viewAs(2, 3);
        Ops.sum(Ops.mul(noise.forward(input), weights)).backward();
        assertArrayEquals(weights.data(), input.grad().data(), 0f);
    }

    @Test
    void aNegativeSigmaIsNamed() {
        PreactivationNoise noise = new PreactivationNoise(t -> -1, new RandomStream(1));
        var error =
                assertThrows(IllegalStateException.class, () -> noise.forward(Tensor.zeros(1, 2)));
        assertEquals(
                "pre-activation noise needs a finite sigma >= 0, got -1.0 at step 0",
                error.getMessage());
    }
}
