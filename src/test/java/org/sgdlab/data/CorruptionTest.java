package org.sgdlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class CorruptionTest {
    private static final int CLASSES = 10;
    private static final int EXAMPLES = 10_000;

    /** Labels uniform over the classes from their own stream; one input feature per example. */
    private static Dataset labelled(int examples) {
        RandomStream random = new RandomStream(11);
        float[] labels = new float[examples];
        for (int i = 0; i < examples; i++) {
            labels[i] = random.nextInt(CLASSES);
        }
        return new Dataset(
                "labelled", Tensor.zeros(examples, 1), Tensor.wrap(labels, examples), CLASSES);
    }

    /** Image i holds the value 1000 i + j at feature j, so a permutation can be read back. */
    private static Dataset images(int examples, int... featureShape) {
        int features = Tensor.numel(featureShape);
        float[] values = new float[examples * features];
        for (int i = 0; i < examples; i++) {
            for (int j = 0; j < features; j++) {
                values[i * features + j] = 1000 * i + j;
            }
        }
        int[] shape = new int[featureShape.length + 1];
        shape[0] = examples;
        System.arraycopy(featureShape, 0, shape, 1, featureShape.length);
        return new Dataset("images", Tensor.wrap(values, shape), Tensor.zeros(examples), CLASSES);
    }

    private static double changedFraction(Dataset before, Dataset after) {
        int[] original = before.labels();
        int[] corrupted = after.labels();
        int changed = 0;
        for (int i = 0; i < original.length; i++) {
            changed += original[i] != corrupted[i] ? 1 : 0;
        }
        return changed / (double) original.length;
    }

    /** Four binomial standard deviations of a proportion q over n trials. */
    private static double tolerance(double q, int n) {
        return 4 * Math.sqrt(q * (1 - q) / n);
    }

    /** Feature j of row i after a permutation, as the source feature index it came from. */
    private static int[] sourcePositions(Dataset data, int row) {
        int features = data.inputDim();
        int[] positions = new int[features];
        for (int j = 0; j < features; j++) {
            positions[j] = Math.round(data.inputs().data()[row * features + j] - 1000 * row);
        }
        return positions;
    }

    private static boolean isPermutation(int[] positions) {
        int[] sorted = positions.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i) {
                return false;
            }
        }
        return true;
    }

    @Test
    void partialLabelsChangeAboutPTimesOneMinusOneOverClassesOfThem() {
        Dataset data = labelled(EXAMPLES);

        Dataset corrupted = Corruption.partialLabels(0.5).apply(data, new RandomStream(1));

        double expected = 0.5 * (1 - 1.0 / CLASSES);
        assertEquals(expected, changedFraction(data, corrupted), tolerance(expected, EXAMPLES));
        assertSame(data.inputs(), corrupted.inputs());
    }

    @Test
    void randomLabelsAreUniformOverTheClasses() {
        Dataset data = labelled(EXAMPLES);

        Dataset corrupted = Corruption.randomLabels().apply(data, new RandomStream(2));

        double expectedChanged = 1 - 1.0 / CLASSES;
        assertEquals(
                expectedChanged,
                changedFraction(data, corrupted),
                tolerance(expectedChanged, EXAMPLES));
        int[] counts = new int[CLASSES];
        for (int label : corrupted.labels()) {
            counts[label]++;
        }
        for (int count : counts) {
            double share = count / (double) EXAMPLES;
            assertEquals(1.0 / CLASSES, share, tolerance(1.0 / CLASSES, EXAMPLES));
        }
    }

    @Test
    void partialLabelsAtTheEndsOfTheUnitInterval() {
        Dataset data = labelled(1000);

        assertEquals(
                0.0,
                changedFraction(
                        data, Corruption.partialLabels(0).apply(data, new RandomStream(3))));
        assertEquals(
                0.9,
                changedFraction(data, Corruption.partialLabels(1).apply(data, new RandomStream(3))),
                tolerance(0.9, 1000));
    }

    @Test
    void labelCorruptionsLeaveTheTestSetUnchanged() {
        Dataset train = labelled(100);
        Dataset test = labelled(50);

        Corruption.Applied applied = Corruption.randomLabels().draw(train, new RandomStream(4));

        assertSame(test, applied.test(test));
        assertSame(train, Corruption.trueLabels().apply(train, new RandomStream(4)));
    }

    @Test
    void theSameSeedGivesTheSameCorruption() {
        Dataset data = labelled(500);

        Dataset first = Corruption.partialLabels(0.3).apply(data, new RandomStream(5));
        Dataset second = Corruption.partialLabels(0.3).apply(data, new RandomStream(5));
        Dataset other = Corruption.partialLabels(0.3).apply(data, new RandomStream(6));

        assertArrayEquals(first.labels(), second.labels());
        assertFalse(Arrays.equals(first.labels(), other.labels()));
    }

    @Test
    void shuffledPixelsApplyOnePermutationToTrainingAndTestImages() {
        Dataset train = images(5, 16);
        Dataset test = images(3, 16);

        Corruption.Applied applied = Corruption.shuffledPixels().draw(train, new RandomStream(7));
        Dataset corruptedTest = applied.test(test);

        int[] permutation = sourcePositions(applied.train(), 0);
        assertTrue(isPermutation(permutation));
        assertFalse(isIdentity(permutation));
        for (int row = 1; row < 5; row++) {
            assertArrayEquals(permutation, sourcePositions(applied.train(), row));
        }
        for (int row = 0; row < 3; row++) {
            assertArrayEquals(permutation, sourcePositions(corruptedTest, row));
        }
        assertSame(train.targets(), applied.train().targets());
    }

    @Test
    void pixelPermutationsKeepTheChannelsOfAPositionTogether() {
        Dataset train = images(2, 3, 2, 2);

        Dataset corrupted = Corruption.shuffledPixels().apply(train, new RandomStream(8));

        int[] sources = sourcePositions(corrupted, 0);
        for (int channel = 0; channel < 3; channel++) {
            for (int position = 0; position < 4; position++) {
                assertEquals(sources[position] + 4 * channel, sources[4 * channel + position]);
            }
        }
    }

    @Test
    void shuffledPixelsRejectATestSetOfAnotherShape() {
        Corruption.Applied applied =
                Corruption.shuffledPixels().draw(images(2, 16), new RandomStream(9));

        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> applied.test(images(2, 9)));

        assertEquals(
                "corruption shuffled-pixels was drawn for features [16], got data set images "
                        + "with inputs [2, 9]",
                error.getMessage());
    }

    @Test
    void randomPixelsPermuteEachImageIndependently() {
        Dataset train = images(20, 30);

        Corruption.Applied applied = Corruption.randomPixels().draw(train, new RandomStream(10));

        int[] first = sourcePositions(applied.train(), 0);
        int distinct = 0;
        for (int row = 0; row < 20; row++) {
            int[] permutation = sourcePositions(applied.train(), row);
            assertTrue(isPermutation(permutation));
            distinct += Arrays.equals(permutation, first) ? 0 : 1;
        }
        assertEquals(19, distinct);
        assertArrayEquals(
                applied.test(images(2, 30)).inputs().data(),
                applied.test(images(2, 30)).inputs().data());
    }

    @Test
    void gaussianInputsHaveTheTrainingMeanAndVariance() {
        RandomStream source = new RandomStream(12);
        float[] values = new float[EXAMPLES * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) source.nextDouble();
        }
        Dataset train =
                new Dataset(
                        "uniform",
                        Tensor.wrap(values, EXAMPLES, 4),
                        Tensor.zeros(EXAMPLES),
                        CLASSES);

        Corruption.Applied applied = Corruption.gaussian().draw(train, new RandomStream(13));

        double trainMean = mean(values);
        double trainVariance = variance(values);
        float[] noise = applied.train().inputs().data();
        float[] testNoise = applied.test(train.head(EXAMPLES / 2)).inputs().data();
        double standardError = Math.sqrt(trainVariance / noise.length);
        assertEquals(trainMean, mean(noise), 4 * standardError);
        assertEquals(
                trainVariance, variance(noise), 4 * trainVariance * Math.sqrt(2.0 / noise.length));
        assertEquals(trainMean, mean(testNoise), 4 * Math.sqrt(trainVariance / testNoise.length));
        assertFalse(Arrays.equals(values, noise));
    }

    @Test
    void labelCorruptionOfARegressionSetIsRejected() {
        Dataset regression = new Dataset("teacher", Tensor.zeros(3, 2), Tensor.zeros(3, 1), 0);

        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Corruption.randomLabels().apply(regression, new RandomStream(1)));

        assertEquals(
                "corruption random-labels needs a classification data set, got regression data "
                        + "set teacher",
                error.getMessage());
    }

    @Test
    void parseReadsEveryNameAndRejectsOthers() {
        assertEquals(Corruption.trueLabels(), Corruption.parse("true-labels"));
        assertEquals(Corruption.partialLabels(0.25), Corruption.parse("partial-labels:0.25"));
        assertEquals(Corruption.randomLabels(), Corruption.parse("random-labels"));
        assertEquals(Corruption.shuffledPixels(), Corruption.parse("shuffled-pixels"));
        assertEquals(Corruption.randomPixels(), Corruption.parse("random-pixels"));
        assertEquals(Corruption.gaussian(), Corruption.parse("gaussian"));
        assertEquals("partial-labels:0.25", Corruption.parse("partial-labels:0.25").label());

        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> Corruption.parse("noisy"));
        IllegalArgumentException outside =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Corruption.parse("partial-labels:1.5"));

        assertEquals(
                "unknown corruption 'noisy', expected true-labels, partial-labels:P (0 <= P <= 1),"
                        + " random-labels, shuffled-pixels, random-pixels or gaussian",
                unknown.getMessage());
        assertEquals("partial-labels probability must be in [0, 1], got 1.5", outside.getMessage());
    }

    private static boolean isIdentity(int[] permutation) {
        for (int i = 0; i < permutation.length; i++) {
            if (permutation[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    private static double variance(float[] values) {
        double mean = mean(values);
        double sum = 0;
        for (float value : values) {
            sum += (value - mean) * (value - mean);
        }
        return sum / values.length;
    }
}
