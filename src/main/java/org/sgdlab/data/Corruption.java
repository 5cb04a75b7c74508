package org.sgdlab.data;

import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * The corruptions of a training set in the randomization tests of Zhang, Bengio, Hardt, Recht and
 * Vinyals, "Understanding deep learning requires rethinking generalization" (ICLR 2017), which show
 * that a network fits labels or inputs that carry no signal.
 *
 * <ul>
 *   <li>{@link TrueLabels}: the data unchanged.
 *   <li>{@link PartialLabels}: independently with probability p, a label is replaced by a class
 *       drawn uniformly from all classes (possibly the same one), so a fraction p (1 - 1/classes)
 *       of the labels changes on average.
 *   <li>{@link RandomLabels}: every label replaced by a uniform class, which is partial labels with
 *       p = 1.
 *   <li>{@link ShuffledPixels}: one permutation of the pixel positions, drawn once, applied to
 *       every image of the training and the test set.
 *   <li>{@link RandomPixels}: every image gets its own independent permutation of its pixel
 *       positions.
 *   <li>{@link Gaussian}: every input value replaced by an independent sample of N(mu, sigma^2),
 *       where mu and sigma^2 are the mean and variance of all training input values together (one
 *       scalar each, not per feature).
 * </ul>
 *
 * <p>Pixel positions: for inputs [n, channels, height, width] a permutation moves the height *
 * width positions and keeps each position's channel values together; for any other input shape it
 * permutes all features of a row.
 *
 * <p>The randomness is drawn once by {@link #draw(Dataset, RandomStream)}, which returns an {@link
 * Applied} holding the corrupted training set and the matching transformation of a test set. Label
 * corruptions leave test sets unchanged, since the test measures generalization to the true labels;
 * input corruptions transform test inputs the same way (the same permutation for shuffled pixels,
 * fresh permutations or Gaussian samples with the training mean and variance otherwise) and keep
 * the true test labels. The same stream seed always gives the same corruption.
 */
public sealed interface Corruption
        permits Corruption.TrueLabels,
                Corruption.PartialLabels,
                Corruption.RandomLabels,
                Corruption.ShuffledPixels,
                Corruption.RandomPixels,
                Corruption.Gaussian {

    /**
     * The name of the corruption as {@link #parse(String)} reads it, e.g. {@code random-labels}.
     */
    String label();

    /**
     * Draws the corruption of the training set once from the stream.
     *
     * @throws IllegalArgumentException when a label corruption meets a regression data set
     */
    Applied draw(Dataset train, RandomStream random);

    /** The corrupted training set: {@code draw(train, random).train()}. */
    default Dataset apply(Dataset train, RandomStream random) {
        return draw(train, random).train();
    }

    /** The data unchanged. */
    static Corruption trueLabels() {
        return new TrueLabels();
    }

    /** Each label independently replaced by a uniform class with the given probability. */
    static Corruption partialLabels(double probability) {
        return new PartialLabels(probability);
    }

    /** Every label replaced by a uniform class. */
    static Corruption randomLabels() {
        return new RandomLabels();
    }

    /** One permutation of the pixel positions for all images. */
    static Corruption shuffledPixels() {
        return new ShuffledPixels();
    }

    /** An independent permutation of the pixel positions for each image. */
    static Corruption randomPixels() {
        return new RandomPixels();
    }

    /** Inputs replaced by Gaussian noise with the training inputs' mean and variance. */
    static Corruption gaussian() {
        return new Gaussian();
    }

    /**
     * Reads {@code true-labels}, {@code partial-labels:P} with 0 <= P <= 1, {@code random-labels},
     * {@code shuffled-pixels}, {@code random-pixels} or {@code gaussian}.
     *
     * @throws IllegalArgumentException naming the text and the allowed values
     */
    static Corruption parse(String text) {
        String allowed =
                "true-labels, partial-labels:P (0 <= P <= 1), random-labels, shuffled-pixels,"
                        + " random-pixels or gaussian";
        if (text.startsWith("partial-labels:")) {
            String number = text.substring("partial-labels:".length());
            try {
                return new PartialLabels(Double.parseDouble(number));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "corruption '"
                                + text
                                + "' has probability '"
                                + number
                                + "', expected "
                                + allowed,
                        e);
            }
        }
        switch (text) {
            case "true-labels":
                return trueLabels();
            case "random-labels":
                return randomLabels();
            case "shuffled-pixels":
                return shuffledPixels();
            case "random-pixels":
                return randomPixels();
            case "gaussian":
                return gaussian();
            default:
                throw new IllegalArgumentException(
                        "unknown corruption '" + text + "', expected " + allowed);
        }
    }

    /** The data unchanged. */
    record TrueLabels() implements Corruption {
        @Override
        public String label() {
            return "true-labels";
        }

        @Override
        public Applied draw(Dataset train, RandomStream random) {
            return new Applied(this, train, UnaryOperator.identity());
        }
    }

    /**
     * Independently with probability p, a label is replaced by a class drawn uniformly from
     * 0..classes-1; a fraction p (1 - 1/classes) of the labels changes on average.
     *
     * @param probability p in [0, 1]
     */
    record PartialLabels(double probability) implements Corruption {
        public PartialLabels {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException(
                        "partial-labels probability must be in [0, 1], got " + probability);
            }
        }

        @Override
        public String label() {
            return "partial-labels:" + probability;
        }

        @Override
        public Applied draw(Dataset train, RandomStream random) {
            return new Applied(
                    this, relabel(train, probability, random, label()), UnaryOperator.identity());
        }
    }

    /** Every label replaced by a class drawn uniformly from 0..classes-1. */
    record RandomLabels() implements Corruption {
        @Override
        public String label() {
            return "random-labels";
        }

        @Override
        public Applied draw(Dataset train, RandomStream random) {
            return new Applied(
                    this, relabel(train, 1.0, random, label()), UnaryOperator.identity());
        }
    }

    /** One uniformly random permutation of the pixel positions, shared by all images. */
    record ShuffledPixels() implements Corruption {
        @Override
        public String label() {
            return "shuffled-pixels";
        }

        @Override
        public Applied draw(Dataset train, RandomStream random) {
            int[] featureShape = featureShape(train);
            int[] permutation =
                    random.derive("shuffled-pixels").permutation(pixelPositions(featureShape));
            UnaryOperator<Dataset> permute =
                    data -> {
                        checkFeatureShape(data, featureShape, label());
                        return permuteRows(data, i -> permutation, label());
                    };
            return new Applied(this, permute.apply(train), permute);
        }
    }

    /** An independent uniformly random permutation of the pixel positions for every image. */
    record RandomPixels() implements Corruption {
        @Override
        public String label() {
            return "random-pixels";
        }

        @Override
        public Applied draw(Dataset train, RandomStream random) {
            int positions = pixelPositions(featureShape(train));
            RandomStream trainStream = random.derive("random-pixels");
            Dataset corrupted =
                    permuteRows(train, i -> trainStream.permutation(positions), label());
            return new Applied(
                    this,
                    corrupted,
                    test -> {
                        RandomStream testStream = random.derive("random-pixels-test");
                        int testPositions = pixelPositions(featureShape(test));
                        return permuteRows(
                                test, i -> testStream.permutation(testPositions), label());
                    });
        }
    }

    /**
     * Inputs replaced by independent samples of N(mu, sigma^2), with mu and sigma^2 the mean and
     * the (population) variance of all training input values.
     */
    record Gaussian() implements Corruption {
        @Override
        public String label() {
            return "gaussian";
        }

        @Override
        public Applied draw(Dataset train, RandomStream random) {
            float[] values = train.inputs().data();
            double sum = 0;
            for (float value : values) {
                sum += value;
            }
            double mean = values.length == 0 ? 0 : sum / values.length;
            double squares = 0;
            for (float value : values) {
                squares += (value - mean) * (value - mean);
            }
            double std = values.length == 0 ? 0 : Math.sqrt(squares / values.length);

            Dataset corrupted = noise(train, mean, std, random.derive("gaussian"), label());
            return new Applied(
                    this,
                    corrupted,
                    test -> noise(test, mean, std, random.derive("gaussian-test"), label()));
        }
    }

    /**
     * A drawn corruption: the corrupted training set and the matching transformation of test sets.
     * {@link #test(Dataset)} is deterministic: calling it twice gives the same data.
     */
    final class Applied {
        private final Corruption corruption;
        private final Dataset train;
        private final UnaryOperator<Dataset> testTransform;

        private Applied(
                Corruption corruption, Dataset train, UnaryOperator<Dataset> testTransform) {
            this.corruption = corruption;
            this.train = train;
            this.testTransform = testTransform;
        }

        /** The corruption that was drawn. */
        public Corruption corruption() {
            return corruption;
        }

        /** The corrupted training set. */
        public Dataset train() {
            return train;
        }

        /**
         * The test set to evaluate on: unchanged for label corruptions, with its inputs transformed
         * as the training inputs were for input corruptions.
         */
        public Dataset test(Dataset test) {
            return testTransform.apply(test);
        }
    }

    private static Dataset relabel(
            Dataset data, double probability, RandomStream random, String label) {
        if (!data.isClassification()) {
            throw new IllegalArgumentException(
                    "corruption "
                            + label
                            + " needs a classification data set, got regression data set "
                            + data.name());
        }
        RandomStream stream = random.derive("labels");
        float[] labels = data.targets().data().clone();
        for (int i = 0; i < labels.length; i++) {
            if (stream.nextBoolean(probability)) {
                labels[i] = stream.nextInt(data.classes());
            }
        }
        return new Dataset(
                data.name() + " [" + label + "]",
                data.inputs(),
                Tensor.wrap(labels, labels.length),
                data.classes());
    }

    private static int[] featureShape(Dataset data) {
        int[] shape = data.inputs().shape();
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** Height * width for [channels, height, width] features, otherwise all features. */
    private static int pixelPositions(int[] featureShape) {
        return featureShape.length == 3
                ? featureShape[1] * featureShape[2]
                : Tensor.numel(featureShape);
    }

    private static void checkFeatureShape(Dataset data, int[] expected, String label) {
        if (!Arrays.equals(featureShape(data), expected)) {
            throw new IllegalArgumentException(
                    "corruption "
                            + label
                            + " was drawn for features "
                            + Arrays.toString(expected)
                            + ", got data set "
                            + data.name()
                            + " with inputs "
                            + Arrays.toString(data.inputs().shape()));
        }
    }

    /** Row i's new value at (channel c, position j) is its old value at (c, permutation[j]). */
    private static Dataset permuteRows(
            Dataset data, IntFunction<int[]> permutations, String label) {
        int rowSize = data.inputDim();
        int positions = pixelPositions(featureShape(data));
        int channels = positions == 0 ? 0 : rowSize / positions;
        float[] source = data.inputs().data();
        float[] result = new float[source.length];
        for (int row = 0; row < data.size(); row++) {
            int[] permutation = permutations.apply(row);
            int rowStart = row * rowSize;
            for (int channel = 0; channel < channels; channel++) {
                int start = rowStart + channel * positions;
                for (int j = 0; j < positions; j++) {
                    result[start + j] = source[start + permutation[j]];
                }
            }
        }
        return new Dataset(
                data.name() + " [" + label + "]",
                Tensor.wrap(result, data.inputs().shape()),
                data.targets(),
                data.classes());
    }

    private static Dataset noise(
            Dataset data, double mean, double std, RandomStream stream, String label) {
        float[] values = new float[data.inputs().numel()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (mean + std * stream.nextGaussian());
        }
        return new Dataset(
                data.name() + " [" + label + "]",
                Tensor.wrap(values, data.inputs().shape()),
                data.targets(),
                data.classes());
    }
}
