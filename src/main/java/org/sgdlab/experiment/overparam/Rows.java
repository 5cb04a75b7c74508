package org.sgdlab.experiment.overparam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.sgdlab.experiment.Statistics;

/** Reading the rows of results: columns as numbers, groups, means, and numbers as text. */
final class Rows {
    private Rows() {}

    /** The value of a column as a number; NaN when absent or not a number. */
    static double number(Map<String, Object> row, String key) {
        Object value = row.get(key);
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** The column's values, one per row. */
    static double[] column(List<Map<String, Object>> rows, String key) {
        double[] values = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(rows.get(i), key);
        }
        return values;
    }

    /** The rows that satisfy the condition. */
    static List<Map<String, Object>> where(
            List<Map<String, Object>> rows, Predicate<Map<String, Object>> condition) {
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (condition.test(row)) {
                kept.add(row);
            }
        }
        return kept;
    }

    /** The rows whose column equals the value. */
    static List<Map<String, Object>> where(
            List<Map<String, Object>> rows, String key, double value) {
        return where(rows, row -> number(row, key) == value);
    }

    /** The rows whose text column equals the value. */
    static List<Map<String, Object>> where(
            List<Map<String, Object>> rows, String key, String value) {
        return where(rows, row -> value.equals(String.valueOf(row.get(key))));
    }

    /** The distinct values of a column, in increasing order, NaN left out. */
    static double[] distinct(List<Map<String, Object>> rows, String key) {
        TreeSet<Double> values = new TreeSet<>();
        for (Map<String, Object> row : rows) {
            double value = number(row, key);
            if (!Double.isNaN(value)) {
                values.add(value);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The mean of the column over the rows where group equals each of the values. */
    static double[] groupMeans(
            List<Map<String, Object>> rows, String group, double[] values, String key) {
        double[] means = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            means[i] = Statistics.mean(column(where(rows, group, values[i]), key));
        }
        return means;
    }

    /**
     * The mean and t interval of the column over the rows where group equals each of the values:
     * three arrays, {means, lower ends, upper ends}; a single row gives its value as both ends.
     */
    static double[][] groupIntervals(
            List<Map<String, Object>> rows,
            String group,
            double[] values,
            String key,
            double confidence) {
        double[][] bands = new double[3][values.length];
        for (int i = 0; i < values.length; i++) {
            double[] column = column(where(rows, group, values[i]), key);
            Statistics.Estimate estimate = Statistics.mean(column, confidence);
            bands[0][i] = estimate.value();
            bands[1][i] = column.length > 1 ? estimate.low() : estimate.value();
            bands[2][i] = column.length > 1 ? estimate.high() : estimate.value();
        }
        return bands;
    }

    /**
     * Like {@link #groupIntervals} for positive values, on a log scale: the geometric mean exp(mean
     * log v) with the t interval of mean log v mapped back, so that the band stays positive on a
     * logarithmic axis.
     */
    static double[][] groupGeometricIntervals(
            List<Map<String, Object>> rows,
            String group,
            double[] values,
            String key,
            double confidence) {
        List<Map<String, Object>> logged = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            copy.put(key, Math.log(number(row, key)));
            logged.add(copy);
        }
        double[][] bands = groupIntervals(logged, group, values, key, confidence);
        for (double[] band : bands) {
            for (int i = 0; i < band.length; i++) {
                band[i] = Math.exp(band[i]);
            }
        }
        return bands;
    }

    /** The pairs (x_i, y_i) where both are finite and, when positive is set, both above 0. */
    static double[][] finitePairs(double[] x, double[] y, boolean positive) {
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            boolean finite = Double.isFinite(x[i]) && Double.isFinite(y[i]);
            if (finite && (!positive || (x[i] > 0 && y[i] > 0))) {
                kept.add(new double[] {x[i], y[i]});
            }
        }
        double[][] pairs = new double[2][kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            pairs[0][i] = kept.get(i)[0];
            pairs[1][i] = kept.get(i)[1];
        }
        return pairs;
    }

    /**
     * The values c x^b of the least-squares line log y = log c + b log x through the points, at the
     * given x, for drawing a fitted power law.
     */
    static double[] powerLawFit(double[] x, double[] y, double exponent, double[] at) {
        double meanLogX = 0;
        double meanLogY = 0;
        for (int i = 0; i < x.length; i++) {
            meanLogX += Math.log(x[i]) / x.length;
            meanLogY += Math.log(y[i]) / x.length;
        }
        double[] fitted = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            fitted[i] = Math.exp(meanLogY + exponent * (Math.log(at[i]) - meanLogX));
        }
        return fitted;
    }

    /** A number with three significant digits; below 1e-12 in size, rounding error, it is 0. */
    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        double magnitude = Math.abs(value);
        if (magnitude < 1e-12) {
            return "0";
        }
        if (magnitude < 1e-3 || magnitude >= 1e5) {
            return String.format(Locale.ROOT, "%.2e", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** An estimate as "value [low, high]". */
    static String format(Statistics.Estimate estimate) {
        return format(estimate.value())
                + " ["
                + format(estimate.low())
                + ", "
                + format(estimate.high())
                + "]";
    }

    /** Integers of a list as doubles. */
    static double[] doubles(List<Integer> values) {
        return values.stream().mapToDouble(Integer::doubleValue).toArray();
    }
}
