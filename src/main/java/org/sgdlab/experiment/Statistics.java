package org.sgdlab.experiment;

import java.util.Arrays;
import org.sgdlab.tensor.RandomStream;

/**
 * The statistics verdicts are computed with: least-squares slopes and means with Student-t
 * intervals, paired differences, and Spearman's rank correlation with a bootstrap interval. All
 * intervals are two-sided at the given confidence (0.95 unless stated).
 */
public final class Statistics {
    private Statistics() {}

    /**
     * An estimate with its confidence interval.
     *
     * @param value the point estimate
     * @param low the lower end of the interval
     * @param high the upper end
     * @param count the number of observations behind it
     */
    public record Estimate(double value, double low, double high, int count) {
        /** Whether the whole interval lies below the bound. */
        public boolean below(double bound) {
            return high < bound;
        }

        /** Whether the whole interval lies above the bound. */
        public boolean above(double bound) {
            return low > bound;
        }

        /** Whether the interval contains the value. */
        public boolean contains(double point) {
            return low <= point && point <= high;
        }
    }

    /**
     * The least-squares slope b of y = a + b x, with the interval b +/- t_{n-2} se(b), where
     * se(b)^2 = (sum of squared residuals / (n - 2)) / sum (x_i - mean x)^2.
     */
    public static Estimate slope(double[] x, double[] y, double confidence) {
        int n = x.length;
        if (n != y.length || n < 3) {
            throw new IllegalArgumentException(
                    "a slope with an interval needs at least 3 paired points, got "
                            + x.length
                            + " and "
                            + y.length);
        }
        double meanX = mean(x);
        double meanY = mean(y);
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - meanX) * (x[i] - meanX);
            sxy += (x[i] - meanX) * (y[i] - meanY);
        }
        double b = sxy / sxx;
        double a = meanY - b * meanX;
        double residuals = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - a - b * x[i];
            residuals += r * r;
        }
        double se = Math.sqrt(residuals / (n - 2) / sxx);
        double t = tQuantile(0.5 + confidence / 2, n - 2);
        return new Estimate(b, b - t * se, b + t * se, n);
    }

    /** The slope of log(y) on log(x): the exponent of a power law y ~ x^b. */
    public static Estimate logLogSlope(double[] x, double[] y, double confidence) {
        double[] logX = new double[x.length];
        double[] logY = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            logX[i] = Math.log(x[i]);
            logY[i] = Math.log(y[i]);
        }
        return slope(logX, logY, confidence);
    }

    /** The mean with the interval mean +/- t_{n-1} s / sqrt(n); a point for n = 1. */
    public static Estimate mean(double[] values, double confidence) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("a mean needs at least one value");
        }
        double m = mean(values);
        if (n == 1) {
            return new Estimate(m, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1);
        }
        double half =
                tQuantile(0.5 + confidence / 2, n - 1) * standardDeviation(values) / Math.sqrt(n);
        return new Estimate(m, m - half, m + half, n);
    }

    /** The mean of a_i - b_i with its t interval: a paired comparison across seeds. */
    public static Estimate pairedDifference(double[] a, double[] b, double confidence) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "a paired difference needs equal counts, got " + a.length + " and " + b.length);
        }
        double[] differences = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            differences[i] = a[i] - b[i];
        }
        return mean(differences, confidence);
    }

    /**
     * The mean of the group means, every group weighted equally, with a Welch-Satterthwaite t
     * interval: for G groups with n_g values, mean m_g and sample variance s_g^2, the estimate is
     * (1/G) sum_g m_g, its variance V = (1/G^2) sum_g s_g^2 / n_g, and the interval is estimate +/-
     * t_nu sqrt(V) with nu = (sum_g s_g^2 / n_g)^2 / sum_g (s_g^2 / n_g)^2 / (n_g - 1). It pools
     * evidence over groups whose means differ (a comparison made at several training-set sizes),
     * without assuming equal spreads. nu lies between the smallest n_g - 1 and sum_g (n_g - 1);
     * rounding is kept from taking it below the first. Every group needs at least two values; when
     * every group has zero spread the interval is the point.
     */
    public static Estimate stratifiedMean(double[][] groups, double confidence) {
        if (groups.length == 0) {
            throw new IllegalArgumentException("a stratified mean needs at least one group");
        }
        double sum = 0;
        double variance = 0;
        double denominator = 0;
        int count = 0;
        int fewest = Integer.MAX_VALUE;
        for (double[] group : groups) {
            if (group.length < 2) {
                throw new IllegalArgumentException(
                        "every group of a stratified mean needs at least 2 values, got "
                                + group.length);
            }
            double share = Math.pow(standardDeviation(group), 2) / group.length;
            sum += mean(group);
            variance += share;
            denominator += share * share / (group.length - 1);
            count += group.length;
            fewest = Math.min(fewest, group.length);
        }
        int g = groups.length;
        double estimate = sum / g;
        if (variance == 0) {
            return new Estimate(estimate, estimate, estimate, count);
        }
        double degreesOfFreedom = Math.max(fewest - 1, variance * variance / denominator);
        double half = tQuantile(0.5 + confidence / 2, degreesOfFreedom) * Math.sqrt(variance) / g;
        return new Estimate(estimate, estimate - half, estimate + half, count);
    }

    /**
     * Spearman's rank correlation (Pearson's correlation of the mid-ranks) with a percentile
     * bootstrap interval over resampled pairs, drawn from the given stream.
     */
    public static Estimate spearman(
            double[] x, double[] y, double confidence, int resamples, RandomStream random) {
        int n = x.length;
        double value = pearson(ranks(x), ranks(y));
        double[] draws = new double[resamples];
        double[] sampleX = new double[n];
        double[] sampleY = new double[n];
        int kept = 0;
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(n);
                sampleX[i] = x[pick];
                sampleY[i] = y[pick];
            }
            double draw = pearson(ranks(sampleX), ranks(sampleY));
            if (!Double.isNaN(draw)) {
                draws[kept++] = draw;
            }
        }
        double[] valid = Arrays.copyOf(draws, kept);
        Arrays.sort(valid);
        double tail = (1 - confidence) / 2;
        return new Estimate(value, quantile(valid, tail), quantile(valid, 1 - tail), n);
    }

    /** Pearson's correlation coefficient; NaN when either side is constant. */
    public static double pearson(double[] x, double[] y) {
        double meanX = mean(x);
        double meanY = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - meanX) * (y[i] - meanY);
            sxx += (x[i] - meanX) * (x[i] - meanX);
            syy += (y[i] - meanY) * (y[i] - meanY);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    /** Mid-ranks, 1-based: ties share the mean of their ranks. */
    public static double[] ranks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[n];
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) {
                ranks[order[i]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

    public static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** The sample standard deviation, with n - 1 in the denominator. */
    public static double standardDeviation(double[] values) {
        double m = mean(values);
        double sum = 0;
        for (double value : values) {
            sum += (value - m) * (value - m);
        }
        return Math.sqrt(sum / (values.length - 1));
    }

    /** The p-quantile of sorted values, by linear interpolation between order statistics. */
    public static double quantile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /**
     * The p-quantile of Student's t distribution with the given degrees of freedom, which need not
     * be whole (as with Welch-Satterthwaite's).
     */
    public static double tQuantile(double p, double degreesOfFreedom) {
        if (p <= 0 || p >= 1 || !(degreesOfFreedom >= 1)) {
            throw new IllegalArgumentException(
                    "t quantile needs 0 < p < 1 and df >= 1, got p="
                            + p
                            + ", df="
                            + degreesOfFreedom);
        }
        double low = -1e3;
        double high = 1e3;
        for (int i = 0; i < 200; i++) {
            double middle = (low + high) / 2;
            if (tCdf(middle, degreesOfFreedom) < p) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return (low + high) / 2;
    }

    /** The distribution function of Student's t, through the regularized incomplete beta. */
    public static double tCdf(double t, double degreesOfFreedom) {
        double v = degreesOfFreedom;
        double tail = 0.5 * incompleteBeta(v / 2, 0.5, v / (v + t * t));
        return t >= 0 ? 1 - tail : tail;
    }

    /** The regularized incomplete beta function I_x(a, b), by Lentz's continued fraction. */
    static double incompleteBeta(double a, double b, double x) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double logFront =
                logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
        if (x > (a + 1) / (a + b + 2)) {
            return 1 - incompleteBeta(b, a, 1 - x);
        }
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = Math.abs(d) < tiny ? tiny : d;
        d = 1 / d;
        double fraction = d;
        for (int m = 1; m <= 300; m++) {
            double numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + numerator * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + numerator / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            fraction *= d * c;
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 + numerator * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + numerator / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            fraction *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return Math.exp(logFront) * fraction / a;
    }

    /** log Gamma(x) for x > 0, by the Lanczos approximation (g = 7, n = 9). */
    static double logGamma(double x) {
        double[] coefficients = {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        if (x < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = coefficients[0];
        for (int i = 1; i < 9; i++) {
            sum += coefficients[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
