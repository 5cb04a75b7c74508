package org.sgdlab.experiment.realdata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sgdlab.data.Dataset;
import org.sgdlab.data.Split;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.Settings;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/** Drawing the images of a run and averaging pixel blocks. */
class FashionMnistDataTest {
    private static Settings settings(int trainSize, int testSize, int side) {
        return FashionMnistData.define(
                new Settings(),
                Profile.QUICK,
                trainSize,
                trainSize,
                testSize,
                testSize,
                side,
                side);
    }

    @Test
    void averagingTakesTheMeanOfEachBlock() {
        float[] pixels = new float[2 * 784];
        for (int i = 0; i < 784; i++) {
            pixels[i] = i;
            pixels[784 + i] = 1;
        }
        Dataset images = new Dataset("ramp", Tensor.wrap(pixels, 2, 784), Tensor.zeros(2), 10);
        Dataset half = FashionMnistData.downsample(images, 14);
        assertArrayEquals(new int[] {2, 196}, half.inputs().shape());
        float[] averaged = half.inputs().data();
        assertEquals((0 + 1 + 28 + 29) / 4f, averaged[0], 1e-5);
        assertEquals((2 + 3 + 30 + 31) / 4f, averaged[1], 1e-5);
        assertEquals((56 + 57 + 84 + 85) / 4f, averaged[14], 1e-5);
        assertEquals(1, averaged[196 + 100], 1e-6);
        Dataset quarter = FashionMnistData.downsample(images, 7);
        assertEquals(49, quarter.inputDim());
        assertEquals(1, quarter.inputs().data()[49 + 48], 1e-6);
        assertSame(images, FashionMnistData.downsample(images, 28));
    }

    @Test
    void aSeedDrawsItsOwnTrainingImagesAndEveryRunSharesTheTestImages() {
        Settings settings = settings(100, 30, 14);
        Split first = FashionMnistData.load(settings, new RandomStream(1));
        Split again = FashionMnistData.load(settings, new RandomStream(1));
        Split other = FashionMnistData.load(settings, new RandomStream(2));
        assertArrayEquals(new int[] {100, 196}, first.train().inputs().shape());
        assertArrayEquals(new int[] {30, 196}, first.test().inputs().shape());
        assertArrayEquals(first.train().inputs().data(), again.train().inputs().data());
        assertFalse(Arrays.equals(first.train().labels(), other.train().labels()));
        assertArrayEquals(first.test().labels(), other.test().labels());
    }
}
