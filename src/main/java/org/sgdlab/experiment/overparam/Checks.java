package org.sgdlab.experiment.overparam;

import java.util.List;
import org.sgdlab.experiment.Settings;

/** Checks of setting values, with messages that name the setting, the value and what is allowed. */
final class Checks {
    private Checks() {}

    /** An integer setting that must be positive. */
    static int positive(Settings settings, String key) {
        int value = settings.integer(key);
        if (value <= 0) {
            throw new IllegalArgumentException(
                    "setting '" + key + "' must be a positive integer, got " + value);
        }
        return value;
    }

    /** A number setting that must be positive. */
    static double positiveNumber(Settings settings, String key) {
        double value = settings.number(key);
        if (!(value > 0)) {
            throw new IllegalArgumentException(
                    "setting '" + key + "' must be a positive number, got " + value);
        }
        return value;
    }

    /** A number setting that must lie in [low, high]. */
    static double within(Settings settings, String key, double low, double high) {
        double value = settings.number(key);
        if (!(value >= low && value <= high)) {
            throw new IllegalArgumentException(
                    "setting '" + key + "' must be in [" + low + ", " + high + "], got " + value);
        }
        return value;
    }

    /** A list of positive integers with at least the given number of distinct values. */
    static List<Integer> distinctPositive(Settings settings, String key, int atLeast) {
        List<Integer> values = settings.integers(key);
        boolean positive = values.stream().allMatch(value -> value > 0);
        if (!positive || values.stream().distinct().count() < atLeast) {
            throw new IllegalArgumentException(
                    "setting '"
                            + key
                            + "' needs at least "
                            + atLeast
                            + " distinct positive integers, got "
                            + values);
        }
        return values;
    }
}
