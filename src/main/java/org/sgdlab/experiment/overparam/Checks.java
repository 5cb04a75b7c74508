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

    /**
     * The distinct values, in increasing order, of a list of positive integers that must hold at
     * least the given number of distinct values.
     */
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
        return values.stream().distinct().sorted().toList();
    }

    /** The claim with the regime it was tested in: "claim (regime)." */
    static String inRegime(String claim, String regime) {
        String stem = claim.endsWith(".") ? claim.substring(0, claim.length() - 1) : claim;
        return stem + " (" + regime + ").";
    }
}
