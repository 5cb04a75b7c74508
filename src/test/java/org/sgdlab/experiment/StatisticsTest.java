package org.sgdlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sgdlab.tensor.RandomStream;

/** The verdict statistics on numbers with known answers. */
class StatisticsTest {
    @Test
    void tQuantilesMatchTables() {
        assertEquals(12.706, Statistics.tQuantile(0.975, 1), 1e-3);
        assertEquals(2.228, Statistics.tQuantile(0.975, 10), 1e-3);
        assertEquals(1.96, Statistics.tQuantile(0.975, 100_000), 1e-3);
        assertEquals(-2.228, Statistics.tQuantile(0.025, 10), 1e-3);
    }

    @Test
    void slopeOfAKnownLineWithNoiseCoversTheTruth() {
        RandomStream random = new RandomStream(5);
        int covered = 0;
        for (int trial = 0; trial < 200; trial++) {
            double[] x = new double[12];
            double[] y = new double[12];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
                y[i] = 2 - 0.5 * i + 0.3 * random.nextGaussian();
            }
            if (Statistics.slope(x, y, 0.95).contains(-0.5)) {
                covered++;
            }
        }
        assertTrue(covered >= 180 && covered <= 198, "95% intervals covered " + covered + "/200");
    }

    @Test
    void powerLawExponentIsRecovered() {
        double[] m = {64, 128, 256, 512, 1024, 2048};
        double[] distance = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            distance[i] = 3 * Math.pow(m[i], -0.5) * (1 + 0.01 * (i % 2 == 0 ? 1 : -1));
        }
        Statistics.Estimate slope = Statistics.logLogSlope(m, distance, 0.95);
        assertEquals(-0.5, slope.value(), 0.01);
        assertTrue(slope.contains(-0.5));
    }

    @Test
    void spearmanOfAMonotoneDecreaseIsMinusOne() {
        double[] x = {1, 2, 3, 4, 5, 6};
        double[] y = {10, 8, 7, 3, 2, 1};
        var rho = Statistics.spearman(x, y, 0.95, 500, new RandomStream(1));
        assertEquals(-1, rho.value(), 1e-12);
        assertTrue(rho.below(0));
    }

    @Test
    void pairedDifferenceAndMeanIntervals() {
        var difference =
                Statistics.pairedDifference(
                        new double[] {1.1, 2.2, 3.1, 4.3}, new double[] {1, 2, 3, 4}, 0.95);
        assertEquals(0.175, difference.value(), 1e-12);
        assertTrue(difference.above(0));
        var mean = Statistics.mean(new double[] {1, 2, 3}, 0.95);
        assertEquals(2, mean.value(), 1e-12);
        assertEquals(2 - 4.303 / Math.sqrt(3), mean.low(), 1e-3);
    }

    @Test
    void stratifiedMeanWeighsGroupsEquallyWithWelchDegreesOfFreedom() {
        double[][] equal = {{1, 2, 3}, {11, 12, 13}};
        var pooled = Statistics.stratifiedMean(equal, 0.95);
        assertEquals(7, pooled.value(), 1e-12);
        assertEquals(6, pooled.count());
        // Equal spreads and sizes: V = (1/4)(1/3 + 1/3), nu = (2/3)^2 / (2 (1/3)^2 / 2) = 4.
        double half = 2.776445 * Math.sqrt((1 / 3.0 + 1 / 3.0) / 4);
        assertEquals(7 - half, pooled.low(), 1e-5);
        assertEquals(7 + half, pooled.high(), 1e-5);

        double[][] unequal = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, {5, 7}};
        var welch = Statistics.stratifiedMean(unequal, 0.95);
        assertEquals((0.1 + 6) / 2, welch.value(), 1e-12);
        // The two-value group dominates the variance, so nu is close to its 1 degree of freedom.
        assertTrue(welch.high() - welch.value() > 5, "half width " + (welch.high() - 3.05));

        var flat = Statistics.stratifiedMean(new double[][] {{2, 2}, {4, 4}}, 0.95);
        assertEquals(3, flat.low(), 1e-12);
        assertEquals(3, flat.high(), 1e-12);
    }

    @Test
    void stratifiedMeanNeedsTwoValuesPerGroup() {
        var error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Statistics.stratifiedMean(new double[][] {{1, 2}, {3}}, 0.95));
        assertEquals(
                "every group of a stratified mean needs at least 2 values, got 1",
                error.getMessage());
    }

    @Test
    void tQuantileTakesFractionalDegreesOfFreedom() {
        double below = Statistics.tQuantile(0.975, 4);
        double between = Statistics.tQuantile(0.975, 4.5);
        double above = Statistics.tQuantile(0.975, 5);
        assertTrue(below > between && between > above, below + " " + between + " " + above);
    }

    @Test
    void ranksShareTies() {
        assertEquals(
                java.util.Arrays.toString(new double[] {1.5, 1.5, 3, 4}),
                java.util.Arrays.toString(Statistics.ranks(new double[] {2, 2, 5, 9})));
    }
}
