package org.sgdlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubsetWriterTest {
    @TempDir Path directory;

    /** Writes a training set whose image i has every pixel equal to i and the given labels. */
    private Path source(int[] labels) throws IOException {
        Path source = Files.createDirectories(directory.resolve("full"));
        byte[] pixels = new byte[labels.length * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i / (28 * 28));
        }
        IdxWriter.write(
                source.resolve("train-images-idx3-ubyte.gz"),
                new int[] {labels.length, 28, 28},
                pixels);
        IdxWriter.writeLabels(source.resolve("train-labels-idx1-ubyte.gz"), labels);
        return source;
    }

    @Test
    void keepsTheFirstExamplesOfEachClassInFileOrder() throws IOException {
        int[] labels = {3, 3, 0, 3, 1, 2, 4, 5, 6, 7, 8, 9, 0, 1, 2, 4, 5, 6, 7, 8, 9, 9, 0};
        Path target = directory.resolve("subset");

        SubsetWriter.writeSplit(source(labels), target, true, 2);
        Dataset subset = FashionMnist.load(target, true);

        assertArrayEquals(
                new int[] {3, 3, 0, 1, 2, 4, 5, 6, 7, 8, 9, 0, 1, 2, 4, 5, 6, 7, 8, 9},
                subset.labels());
        float[] firstPixels = new float[subset.size()];
        for (int row = 0; row < subset.size(); row++) {
            firstPixels[row] = subset.inputs().get(row, 0) * 255f;
        }
        float[] sourceRows = {
            0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20
        };
        assertArrayEquals(sourceRows, firstPixels, 1e-4f);
    }

    @Test
    void laterBlocksFollowWithTheNextExamplesOfEachClass() throws IOException {
        int[] labels = {3, 3, 0, 3, 1, 2, 4, 5, 6, 7, 8, 9, 0, 1, 2, 4, 5, 6, 7, 8, 9, 9, 0};
        Path target = directory.resolve("subset");

        SubsetWriter.writeSplit(source(labels), target, true, 1, 1);
        Dataset subset = FashionMnist.load(target, true);

        assertArrayEquals(
                new int[] {3, 0, 1, 2, 4, 5, 6, 7, 8, 9, 3, 0, 1, 2, 4, 5, 6, 7, 8, 9},
                subset.labels());
        float[] firstPixels = new float[subset.size()];
        for (int row = 0; row < subset.size(); row++) {
            firstPixels[row] = subset.inputs().get(row, 0) * 255f;
        }
        float[] sourceRows = {
            0, 2, 4, 5, 6, 7, 8, 9, 10, 11, 1, 12, 13, 14, 15, 16, 17, 18, 19, 20
        };
        assertArrayEquals(sourceRows, firstPixels, 1e-4f);
    }

    @Test
    void rewritingGivesTheSameBytes() throws IOException {
        Path source = source(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        Path first = directory.resolve("first");
        Path second = directory.resolve("second");

        SubsetWriter.writeSplit(source, first, true, 1);
        SubsetWriter.writeSplit(source, second, true, 1);

        for (String name :
                new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"}) {
            assertArrayEquals(
                    Files.readAllBytes(first.resolve(name)),
                    Files.readAllBytes(second.resolve(name)));
        }
    }

    @Test
    void tooFewExamplesOfAClassIsAnError() throws IOException {
        Path source = source(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0});

        DataFormatException error =
                assertThrows(
                        DataFormatException.class,
                        () -> SubsetWriter.writeSplit(source, directory.resolve("out"), true, 2));

        assertEquals(
                source.resolve("train-labels-idx1-ubyte.gz")
                        + " holds fewer than 2 examples of some class; kept per class:"
                        + " [2, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
                error.getMessage());
    }
}
