package org.sgdlab.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Reading the rows of results.csv in an analysis: typed cells, filters and groups. Rows come from a
 * run's {@code execute} or, when a sweep resumes, from JSON, where integers may read back as
 * Integer, Long or Double and booleans as Boolean; these helpers accept all of them.
 */
public final class Rows {
    private Rows() {}

    /** A numeric cell; NaN and infinities, which JSON stores as text, are read back. */
    public static double number(Map<String, Object> row, String key) {
        Object value = row.get(key);
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text
                && (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity"))) {
            return Double.parseDouble(text);
        }
        throw new IllegalArgumentException(
                "row " + row.get("run") + " has no number in column '" + key + "', got " + value);
    }

    /** A boolean cell. */
    public static boolean flag(Map<String, Object> row, String key) {
        Object value = row.get(key);
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw new IllegalArgumentException(
                "row " + row.get("run") + " has no boolean in column '" + key + "', got " + value);
    }

    /** A text cell. */
    public static String text(Map<String, Object> row, String key) {
        return String.valueOf(row.get(key));
    }

    /** The rows that pass the test, in order. */
    public static List<Map<String, Object>> where(
            List<Map<String, Object>> rows, Predicate<Map<String, Object>> test) {
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (test.test(row)) {
                kept.add(row);
            }
        }
        return kept;
    }

    /** The rows whose text cell equals the value. */
    public static List<Map<String, Object>> where(
            List<Map<String, Object>> rows, String key, String value) {
        return where(rows, row -> text(row, key).equals(value));
    }

    /** One column as numbers. */
    public static double[] column(List<Map<String, Object>> rows, String key) {
        double[] values = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(rows.get(i), key);
        }
        return values;
    }

    /** The rows grouped by a text cell, groups in order of first appearance. */
    public static Map<String, List<Map<String, Object>>> groupByText(
            List<Map<String, Object>> rows, String key) {
        Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            groups.computeIfAbsent(text(row, key), unused -> new ArrayList<>()).add(row);
        }
        return groups;
    }

    /** The rows grouped by a numeric cell, groups in increasing order of the value. */
    public static TreeMap<Double, List<Map<String, Object>>> groupByNumber(
            List<Map<String, Object>> rows, String key) {
        TreeMap<Double, List<Map<String, Object>>> groups = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            groups.computeIfAbsent(number(row, key), unused -> new ArrayList<>()).add(row);
        }
        return groups;
    }

    /** The row of each seed, by seed; the last one wins when a seed appears twice. */
    public static Map<Long, Map<String, Object>> bySeed(List<Map<String, Object>> rows) {
        Map<Long, Map<String, Object>> seeds = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            seeds.put((long) number(row, "seed"), row);
        }
        return seeds;
    }

    /**
     * The row of each replicate, keyed by its seed and its {@code replicate} column (0 where the
     * column is absent), in the order of the rows; the last one wins when a key appears twice.
     */
    public static Map<String, Map<String, Object>> byReplicate(List<Map<String, Object>> rows) {
        Map<String, Map<String, Object>> replicates = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            long replicate = row.get("replicate") == null ? 0 : (long) number(row, "replicate");
            replicates.put((long) number(row, "seed") + "/" + replicate, row);
        }
        return replicates;
    }

    /**
     * The column's values in the replicates (same seed, same replicate) present in both sets of
     * rows: {@code [0]} from the first set, {@code [1]} from the second, pair by pair.
     */
    public static double[][] paired(
            List<Map<String, Object>> first, List<Map<String, Object>> second, String key) {
        Map<String, Map<String, Object>> partners = byReplicate(second);
        List<double[]> pairs = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> entry : byReplicate(first).entrySet()) {
            Map<String, Object> partner = partners.get(entry.getKey());
            if (partner != null) {
                pairs.add(new double[] {number(entry.getValue(), key), number(partner, key)});
            }
        }
        double[][] columns = new double[2][pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            columns[0][i] = pairs.get(i)[0];
            columns[1][i] = pairs.get(i)[1];
        }
        return columns;
    }

    /** "mean (lowest to highest)" in the format, or the mean alone when all values agree. */
    public static String summary(double[] values, String format) {
        double lowest = Arrays.stream(values).min().orElse(Double.NaN);
        double highest = Arrays.stream(values).max().orElse(Double.NaN);
        String mean = String.format(Locale.ROOT, format, Statistics.mean(values));
        if (values.length == 1 || lowest == highest) {
            return mean;
        }
        return mean
                + " ("
                + String.format(Locale.ROOT, format, lowest)
                + " to "
                + String.format(Locale.ROOT, format, highest)
                + ")";
    }

    /**
     * A plot series over the groups: at each group's value x, the mean of the column, with the
     * lowest and the highest value as the band.
     */
    public static Plot.Series meanBand(
            String name, TreeMap<Double, List<Map<String, Object>>> groups, String column) {
        int count = groups.size();
        double[] x = new double[count];
        double[] y = new double[count];
        double[] low = new double[count];
        double[] high = new double[count];
        int i = 0;
        for (Map.Entry<Double, List<Map<String, Object>>> group : groups.entrySet()) {
            double[] values = column(group.getValue(), column);
            x[i] = group.getKey();
            y[i] = Statistics.mean(values);
            low[i] = Arrays.stream(values).min().orElse(y[i]);
            high[i] = Arrays.stream(values).max().orElse(y[i]);
            i++;
        }
        return Plot.Series.band(name, x, y, low, high);
    }
}
