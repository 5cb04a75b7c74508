package org.sgdlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sgdlab.data.TwoSignal.Group;
import org.sgdlab.data.TwoSignal.SentenceLabel;
import org.sgdlab.tensor.RandomStream;

/** The two-signal generator, checked statistically and, where it is deterministic, exactly. */
class TwoSignalTest {
    private static final int P = 10;
    private static final double TAU = 0.2;
    private static final int N = 20_000;

    /** Tolerance of a share estimated from n draws: 4.5 standard errors of p. */
    private static double tolerance(double p, int n) {
        return 4.5 * Math.sqrt(p * (1 - p) / n);
    }

    private static TwoSignal source(SentenceLabel sentence) {
        var options =
                new TwoSignal.Options()
                        .dimension(P)
                        .missingProbability(TAU)
                        .symbolNorm(3)
                        .symbolOffsetNorm(1)
                        .sentence(sentence, 3);
        return new TwoSignal(options, new RandomStream(7));
    }

    @Test
    void groupsAndLabelsHaveTheirProbabilities() {
        GroupedSplit data = source(SentenceLabel.HALFSPACE).split(N, 10, new RandomStream(8));
        int[] counts = data.counts(true);
        double[] expected = {(1 - TAU) * (1 - TAU), TAU * (1 - TAU), TAU * (1 - TAU), TAU * TAU};
        for (Group group : Group.values()) {
            double share = counts[group.ordinal()] / (double) N;
            double want = expected[group.ordinal()];
            assertEquals(want, share, tolerance(want, N), group.label());
        }
        int ones = 0;
        for (int label : data.train().labels()) {
            ones += label;
        }
        assertEquals(0.5, ones / (double) N, tolerance(0.5, N));
    }

    @Test
    void everyExampleFollowsTheRulesOfItsGroup() {
        TwoSignal source = source(SentenceLabel.HALFSPACE);
        GroupedSplit data = source.split(N, 0, new RandomStream(9));
        float[] x = data.train().inputs().data();
        int[] labels = data.train().labels();
        double[] w = source.direction();
        double[] z = source.symbol();
        double[] delta = source.offset();
        int plus = 0;
        int ones = 0;
        int neitherOnes = 0;
        int neither = 0;
        for (int row = 0; row < N; row++) {
            Group group = Group.values()[data.trainGroups()[row]];
            boolean sentence = group == Group.BOTH || group == Group.SENTENCE_ONLY;
            boolean symbol = group == Group.BOTH || group == Group.SYMBOL_ONLY;
            int start = row * 2 * P;
            double projection = 0;
            double firstNorm = 0;
            for (int i = 0; i < P; i++) {
                projection += w[i] * x[start + i];
                firstNorm += Math.abs(x[start + i]);
            }
            if (sentence) {
                assertEquals(projection >= 0 ? 1 : 0, labels[row], "row " + row);
            } else {
                assertEquals(0, firstNorm, "row " + row + " has no sentence");
            }
            if (!symbol) {
                for (int i = 0; i < P; i++) {
                    assertEquals(0f, x[start + P + i], "row " + row + " has no symbol");
                }
            } else {
                double sign = 0;
                if (labels[row] == 1) {
                    sign = x[start + P] - z[0] > 0 == delta[0] > 0 ? 1 : -1;
                    plus += sign > 0 ? 1 : 0;
                    ones++;
                }
                for (int i = 0; i < P; i++) {
                    assertEquals((float) (z[i] + sign * delta[i]), x[start + P + i], 1e-6);
                }
            }
            if (group == Group.NEITHER) {
                neither++;
                neitherOnes += labels[row];
            }
        }
        assertEquals(0.5, plus / (double) ones, tolerance(0.5, ones));
        assertEquals(0.5, neitherOnes / (double) neither, tolerance(0.5, neither));
    }

    @Test
    void theFixedVectorsHaveTheirNormsAndAreOrthogonal() {
        TwoSignal source = source(SentenceLabel.HALFSPACE);
        assertEquals(1, norm(source.direction()), 1e-12);
        assertEquals(3, norm(source.symbol()), 1e-12);
        assertEquals(1, norm(source.offset()), 1e-12);
        double dot = 0;
        for (int i = 0; i < P; i++) {
            dot += source.symbol()[i] * source.offset()[i];
        }
        assertEquals(0, dot, 1e-12);
        float[] symbols = source.symbolInputs().data();
        assertEquals(0f, symbols[0]);
        assertEquals((float) source.symbol()[0], symbols[P]);
        assertEquals((float) (source.symbol()[0] - source.offset()[0]), symbols[5 * P]);
    }

    @Test
    void aTeacherSentenceKeepsTheLabelsBalanced() {
        TwoSignal source = source(SentenceLabel.TEACHER);
        GroupedSplit data = source.split(N, 0, new RandomStream(10));
        float[] x = data.train().inputs().data();
        int[] labels = data.train().labels();
        int ones = 0;
        for (int row = 0; row < N; row++) {
            int group = data.trainGroups()[row];
            if (group == Group.BOTH.ordinal() || group == Group.SENTENCE_ONLY.ordinal()) {
                assertEquals(source.sentenceLabel(x, row * 2 * P), labels[row]);
            }
            ones += labels[row];
        }
        assertEquals(0.5, ones / (double) N, tolerance(0.5, N));
    }

    @Test
    void theSameSeedGivesTheSameData() {
        GroupedSplit first = source(SentenceLabel.HALFSPACE).split(50, 20, new RandomStream(3));
        GroupedSplit second = source(SentenceLabel.HALFSPACE).split(50, 20, new RandomStream(3));
        assertArrayEquals(first.test().inputs().data(), second.test().inputs().data());
        assertArrayEquals(first.trainGroups(), second.trainGroups());
    }

    @Test
    void badOptionsNameTheValue() {
        var error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new TwoSignal.Options().missingProbability(1.5));
        assertEquals("the missing probability tau must be in [0, 1], got 1.5", error.getMessage());
        error =
                assertThrows(
                        IllegalArgumentException.class, () -> new TwoSignal.Options().dimension(1));
        assertTrue(error.getMessage().endsWith("got 1"), error.getMessage());
        error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new TwoSignal.Options().symbolOffsetNorm(0));
        assertEquals(
                "the symbol offset norm |delta| must be positive and finite, got 0.0",
                error.getMessage());
    }

    private static double norm(double[] v) {
        double sum = 0;
        for (double value : v) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }
}
