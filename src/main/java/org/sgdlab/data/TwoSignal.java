package org.sgdlab.data;

import java.util.List;
import java.util.Locale;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * The two-signal data set of Li, Wei and Ma, "Towards explaining the regularization effect of
 * initial large learning rate in training neural networks" (NeurIPS 2019): a generalizable pattern
 * that is hard to fit and a pattern that is easy to memorize but carries nothing beyond the
 * training set's labels.
 *
 * <p>An example is x = (x1, x2) with x1, x2 in R^p, stored as one row of 2p features (x1 first).
 * Each signal is missing, independently, with probability tau:
 *
 * <ul>
 *   <li>the sentence: with probability 1 - tau, x1 ~ N(0, I_p) and the label is y = 1{w . x1 >= 0}
 *       for a fixed unit vector w (or, under {@link SentenceLabel#TEACHER}, y = 1{sum_j a_j
 *       tanh(w_j . x1) >= 0} for k fixed unit vectors w_j and a_j ~ N(0, 1), an odd function, so
 *       both labels stay equally likely); otherwise x1 = 0 and y is a fair coin;
 *   <li>the symbol: with probability 1 - tau, x2 = z when y = 0 and x2 = z + delta or z - delta,
 *       each with probability 1/2, when y = 1, for a fixed z of norm |z| and a fixed delta of norm
 *       |delta| orthogonal to z; otherwise x2 = 0.
 * </ul>
 *
 * Every example records which signals it carries ({@link Group}). Examples of the group {@code
 * neither} have a coin-flip label that no model can predict, so the Bayes error is tau^2 / 2; their
 * input is x = 0 for all of them, so even on the training set about a share tau^2 / 2 stays
 * misclassified, whatever the model. The theory takes about p / tau training examples: then the
 * sentence-only examples alone (about tau N = p of them) are too few to learn w well, while all the
 * sentence examples (about (1 - tau) N) are enough.
 *
 * <p>The vectors w, z, delta and the teacher are drawn once, in the constructor, from streams
 * derived from its random stream; {@link #split} draws examples from another stream, so two data
 * sets of one source share the vectors.
 */
public final class TwoSignal {
    /** Which signals an example carries; the ordinal is the group index. */
    public enum Group {
        BOTH("both"),
        SENTENCE_ONLY("sentence-only"),
        SYMBOL_ONLY("symbol-only"),
        NEITHER("neither");

        private final String label;

        Group(String label) {
            this.label = label;
        }

        /** The name in kebab case, used in column names. */
        public String label() {
            return label;
        }

        /** The group of an example with or without each signal. */
        public static Group of(boolean sentence, boolean symbol) {
            return sentence ? (symbol ? BOTH : SENTENCE_ONLY) : (symbol ? SYMBOL_ONLY : NEITHER);
        }

        /** The labels of all groups, in index order. */
        public static List<String> labels() {
            return List.of(BOTH.label, SENTENCE_ONLY.label, SYMBOL_ONLY.label, NEITHER.label);
        }
    }

    /** How the sentence x1 decides the label. */
    public enum SentenceLabel {
        /** y = 1{w . x1 >= 0}. */
        HALFSPACE,
        /** y = 1{sum_j a_j tanh(w_j . x1) >= 0}: a small two-layer teacher. */
        TEACHER;

        /** The label of a command-line name: halfspace or teacher. */
        public static SentenceLabel parse(String text) {
            for (SentenceLabel value : values()) {
                if (value.name().equalsIgnoreCase(text)) {
                    return value;
                }
            }
            throw new IllegalArgumentException(
                    "unknown sentence label '" + text + "'; allowed: halfspace, teacher");
        }
    }

    /**
     * The parameters of the distribution, with fluent setters. Defaults: p = 20, tau = 0.2, |z| =
     * 2, |delta| = 0.6, a halfspace sentence (a teacher of 4 units when chosen).
     */
    public static final class Options {
        private int dimension = 20;
        private double missingProbability = 0.2;
        private double symbolNorm = 2;
        private double symbolOffsetNorm = 0.6;
        private SentenceLabel sentence = SentenceLabel.HALFSPACE;
        private int teacherUnits = 4;

        /** p, the dimension of each signal; at least 2. */
        public Options dimension(int value) {
            if (value < 2) {
                throw new IllegalArgumentException(
                        "the dimension p must be at least 2 (z and delta are orthogonal), got "
                                + value);
            }
            this.dimension = value;
            return this;
        }

        /** tau, the probability that a signal is missing; in [0, 1]. */
        public Options missingProbability(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(
                        "the missing probability tau must be in [0, 1], got " + value);
            }
            this.missingProbability = value;
            return this;
        }

        /** |z|, the norm of the symbol's common part; positive. */
        public Options symbolNorm(double value) {
            if (!(value > 0) || !Double.isFinite(value)) {
                throw new IllegalArgumentException(
                        "the symbol norm |z| must be positive and finite, got " + value);
            }
            this.symbolNorm = value;
            return this;
        }

        /** |delta|, the norm of the offset that marks label 1; positive. */
        public Options symbolOffsetNorm(double value) {
            if (!(value > 0) || !Double.isFinite(value)) {
                throw new IllegalArgumentException(
                        "the symbol offset norm |delta| must be positive and finite, got " + value);
            }
            this.symbolOffsetNorm = value;
            return this;
        }

        /** How x1 decides the label, with the number of teacher units k (used by TEACHER). */
        public Options sentence(SentenceLabel label, int units) {
            if (units < 1) {
                throw new IllegalArgumentException(
                        "the sentence teacher needs at least one unit, got " + units);
            }
            this.sentence = label;
            this.teacherUnits = units;
            return this;
        }

        public int dimension() {
            return dimension;
        }

        public double missingProbability() {
            return missingProbability;
        }

        public double symbolNorm() {
            return symbolNorm;
        }

        public double symbolOffsetNorm() {
            return symbolOffsetNorm;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "p=%d, tau=%s, |z|=%s, |delta|=%s, sentence=%s",
                    dimension,
                    missingProbability,
                    symbolNorm,
                    symbolOffsetNorm,
                    sentence == SentenceLabel.HALFSPACE
                            ? "halfspace"
                            : "teacher(" + teacherUnits + ")");
        }
    }

    private final Options options;
    private final int dimension;
    private final double[] direction;
    private final double[] symbol;
    private final double[] offset;
    private final double[][] teacherDirections;
    private final double[] teacherWeights;

    /** The source of the given options, its fixed vectors drawn from the stream. */
    public TwoSignal(Options options, RandomStream random) {
        this.options = options;
        this.dimension = options.dimension;
        this.direction = unitVector(dimension, random.derive("sentence-direction"));
        this.symbol = scaled(unitVector(dimension, random.derive("symbol")), options.symbolNorm);
        double[] raw = unitVector(dimension, random.derive("symbol-offset"));
        double along = dot(raw, this.symbol) / (options.symbolNorm * options.symbolNorm);
        for (int i = 0; i < dimension; i++) {
            raw[i] -= along * this.symbol[i];
        }
        this.offset = scaled(raw, options.symbolOffsetNorm / Math.sqrt(dot(raw, raw)));
        int units = options.sentence == SentenceLabel.TEACHER ? options.teacherUnits : 0;
        RandomStream teacher = random.derive("sentence-teacher");
        this.teacherDirections = new double[units][];
        this.teacherWeights = new double[units];
        for (int j = 0; j < units; j++) {
            teacherDirections[j] = unitVector(dimension, teacher);
            teacherWeights[j] = teacher.nextGaussian();
        }
    }

    public Options options() {
        return options;
    }

    /** The sentence direction w (unit norm); the label rule under a halfspace. */
    public double[] direction() {
        return direction.clone();
    }

    /** The symbol's common part z. */
    public double[] symbol() {
        return symbol.clone();
    }

    /** The symbol's offset delta, orthogonal to z. */
    public double[] offset() {
        return offset.clone();
    }

    /** The label the sentence x1 gives (the first p entries of the array from {@code start}). */
    public int sentenceLabel(float[] x, int start) {
        if (options.sentence == SentenceLabel.HALFSPACE) {
            double projection = 0;
            for (int i = 0; i < dimension; i++) {
                projection += direction[i] * x[start + i];
            }
            return projection >= 0 ? 1 : 0;
        }
        double value = 0;
        for (int j = 0; j < teacherDirections.length; j++) {
            double projection = 0;
            for (int i = 0; i < dimension; i++) {
                projection += teacherDirections[j][i] * x[start + i];
            }
            value += teacherWeights[j] * Math.tanh(projection);
        }
        return value >= 0 ? 1 : 0;
    }

    /**
     * The three symbol-only inputs (0, z), (0, z + delta) and (0, z - delta), as a [3, 2p] tensor:
     * the inputs on which one asks whether a ReLU fires.
     */
    public Tensor symbolInputs() {
        float[] values = new float[3 * 2 * dimension];
        for (int i = 0; i < dimension; i++) {
            values[dimension + i] = (float) symbol[i];
            values[3 * dimension + i] = (float) (symbol[i] + offset[i]);
            values[5 * dimension + i] = (float) (symbol[i] - offset[i]);
        }
        return Tensor.wrap(values, 3, 2 * dimension);
    }

    /**
     * A training set of trainSize examples and a test set of testSize examples, drawn independently
     * from the distribution, with the group of each example.
     */
    public GroupedSplit split(int trainSize, int testSize, RandomStream random) {
        if (trainSize <= 0 || testSize < 0) {
            throw new IllegalArgumentException(
                    "the two-signal set needs a positive training size and a non-negative test"
                            + " size, got "
                            + trainSize
                            + " and "
                            + testSize);
        }
        int[] trainGroups = new int[trainSize];
        int[] testGroups = new int[testSize];
        Dataset train = sample("two-signal-train", trainGroups, random.derive("train"));
        Dataset test = sample("two-signal-test", testGroups, random.derive("test"));
        return new GroupedSplit(new Split(train, test), trainGroups, testGroups, Group.labels());
    }

    private Dataset sample(String name, int[] groups, RandomStream random) {
        int n = groups.length;
        int width = 2 * dimension;
        float[] x = new float[n * width];
        float[] y = new float[n];
        double tau = options.missingProbability;
        for (int row = 0; row < n; row++) {
            int start = row * width;
            boolean sentence = !random.nextBoolean(tau);
            boolean symbolPresent = !random.nextBoolean(tau);
            int label;
            if (sentence) {
                for (int i = 0; i < dimension; i++) {
                    x[start + i] = (float) random.nextGaussian();
                }
                label = sentenceLabel(x, start);
            } else {
                label = random.nextInt(2);
            }
            double sign = random.nextBoolean(0.5) ? 1 : -1;
            if (symbolPresent) {
                double shift = label == 1 ? sign : 0;
                for (int i = 0; i < dimension; i++) {
                    x[start + dimension + i] = (float) (symbol[i] + shift * offset[i]);
                }
            }
            y[row] = label;
            groups[row] = Group.of(sentence, symbolPresent).ordinal();
        }
        return new Dataset(name, Tensor.wrap(x, n, width), Tensor.wrap(y, n), 2);
    }

    private static double[] unitVector(int dimension, RandomStream random) {
        double[] v = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = random.nextGaussian();
        }
        return scaled(v, 1 / Math.sqrt(dot(v, v)));
    }

    private static double[] scaled(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
