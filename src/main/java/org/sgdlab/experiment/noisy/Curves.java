package org.sgdlab.experiment.noisy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Curves over training steps stored in a row of results: a row holds numbers, strings and booleans
 * only, so a curve travels as one text cell of space-separated values, and the analysis averages
 * the curves of several runs point by point.
 */
final class Curves {
    private Curves() {}

    /** The values as one text cell, each with four significant digits. */
    static String encode(List<Double> values) {
        StringBuilder text = new StringBuilder();
        for (double value : values) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(String.format(Locale.ROOT, "%.4g", value));
        }
        return text.toString();
    }

    /** The values of a text cell made by {@link #encode}. */
    static double[] decode(Object cell) {
        String text = String.valueOf(cell).trim();
        if (text.isEmpty()) {
            return new double[0];
        }
        String[] parts = text.split(" ");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Double.parseDouble(parts[i]);
        }
        return values;
    }

    /** The point-by-point mean of the curves in a column of the rows, cut to the shortest. */
    static double[] mean(List<Map<String, Object>> rows, String column) {
        List<double[]> curves = new ArrayList<>();
        int length = Integer.MAX_VALUE;
        for (Map<String, Object> row : rows) {
            double[] curve = decode(row.get(column));
            curves.add(curve);
            length = Math.min(length, curve.length);
        }
        if (curves.isEmpty()) {
            return new double[0];
        }
        double[] mean = new double[length];
        for (double[] curve : curves) {
            for (int i = 0; i < length; i++) {
                mean[i] += curve[i] / curves.size();
            }
        }
        return mean;
    }
}
