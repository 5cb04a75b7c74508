package org.sgdlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir Path directory;

    private static byte[] pixels(int count) {
        byte[] pixels = new byte[count * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        return pixels;
    }

    @Test
    void loadsTheStandardFilesPlainOrGzipped() throws IOException {
        IdxWriter.write(
                directory.resolve("train-images-idx3-ubyte.gz"), new int[] {3, 28, 28}, pixels(3));
        IdxWriter.writeLabels(directory.resolve("train-labels-idx1-ubyte.gz"), new int[] {9, 0, 5});
        IdxWriter.write(
                directory.resolve("t10k-images-idx3-ubyte"), new int[] {2, 28, 28}, pixels(2));
        IdxWriter.writeLabels(directory.resolve("t10k-labels-idx1-ubyte"), new int[] {1, 2});

        Dataset train = FashionMnist.load(directory, true);
        Dataset test = FashionMnist.load(directory, false, 1);

        assertEquals("fashion-mnist-train", train.name());
        assertArrayEquals(new int[] {3, 784}, train.inputs().shape());
        assertArrayEquals(new int[] {9, 0, 5}, train.labels());
        assertEquals(10, train.classes());
        assertEquals(5 / 255f, train.inputs().get(0, 5));
        assertEquals("fashion-mnist-test", test.name());
        assertArrayEquals(new int[] {1}, test.labels());
    }

    @Test
    void missingFilesSayHowToGetThem() {
        DataFormatException error =
                assertThrows(DataFormatException.class, () -> FashionMnist.load(directory, true));

        assertEquals(
                "no Fashion-MNIST files in "
                        + directory
                        + " (expected train-images-idx3-ubyte[.gz] and "
                        + "train-labels-idx1-ubyte[.gz]):"
                        + " install Debian's package dataset-fashion-mnist"
                        + " (apt-get install dataset-fashion-mnist) or pass --data-dir",
                error.getMessage());
    }

    @Test
    void aMissingHalfOfThePairIsNamed() throws IOException {
        IdxWriter.write(
                directory.resolve("t10k-images-idx3-ubyte.gz"), new int[] {1, 28, 28}, pixels(1));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> FashionMnist.load(directory, false));

        assertEquals(
                directory
                        + " has t10k-images-idx3-ubyte.gz but no t10k-labels-idx1-ubyte[.gz];"
                        + " expected both files of the test set",
                error.getMessage());
    }

    @Test
    void shippedSubsetHasFourHundredTrainingAndFiveHundredTestImagesPerClass() {
        Dataset train = FashionMnist.subset(true);
        Dataset test = FashionMnist.subset(false);

        assertArrayEquals(new int[] {4000, 784}, train.inputs().shape());
        assertArrayEquals(new int[] {5000, 784}, test.inputs().shape());
        assertArrayEquals(classCounts(400), countPerClass(train));
        assertArrayEquals(classCounts(500), countPerClass(test));
        assertArrayEquals(classCounts(100), countPerClass(test.head(1000)));
        assertEquals("fashion-mnist-subset-train", train.name());
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        for (float value : train.inputs().data()) {
            low = Math.min(low, value);
            high = Math.max(high, value);
        }
        assertEquals(0f, low);
        assertEquals(1f, high);
    }

    private static int[] classCounts(int each) {
        int[] counts = new int[FashionMnist.CLASSES];
        Arrays.fill(counts, each);
        return counts;
    }

    private static int[] countPerClass(Dataset data) {
        int[] counts = new int[data.classes()];
        for (int label : data.labels()) {
            counts[label]++;
        }
        return counts;
    }
}
