package org.sgdlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of an experiment: named, typed values with a quick and a full default each, and
 * overrides from {@code --set key=value} or a spec file.
 *
 * <p>Types are int, double, boolean, string, and lists of ints or doubles written with commas
 * ({@code widths=64,256,1024}). An override of an unknown key, or of a value that does not parse as
 * the key's type, is an {@link IllegalArgumentException} that names the key, the value and what is
 * allowed.
 */
public final class Settings {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();

    /** Declares a key with its value in this profile and what it means. */
    public Settings define(String key, Object value, String description) {
        values.put(key, value);
        descriptions.put(key, description);
        return this;
    }

    /** Declares a key whose default depends on the profile. */
    public Settings define(
            String key, Profile profile, Object quick, Object full, String description) {
        return define(key, profile == Profile.QUICK ? quick : full, description);
    }

    /** Replaces a value by one parsed from text in the key's type. */
    public Settings set(String key, String text) {
        Object current = values.get(key);
        if (current == null) {
            throw new IllegalArgumentException(
                    "unknown setting '" + key + "'; valid keys: " + String.join(", ", keys()));
        }
        values.put(key, parse(key, text, current));
        return this;
    }

    /** Replaces a value by one of the same type. */
    public Settings setValue(String key, Object value) {
        return set(key, value instanceof List<?> list ? join(list) : String.valueOf(value));
    }

    /** Applies "key=value" overrides in order. */
    public Settings apply(List<String> assignments) {
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(
                        "invalid --set '" + assignment + "'; expected key=value");
            }
            set(assignment.substring(0, equals).trim(), assignment.substring(equals + 1).trim());
        }
        return this;
    }

    public List<String> keys() {
        return new ArrayList<>(values.keySet());
    }

    public String description(String key) {
        return descriptions.get(key);
    }

    public int integer(String key) {
        return (Integer) require(key);
    }

    public double number(String key) {
        Object value = require(key);
        return value instanceof Integer integer ? integer : (Double) value;
    }

    public boolean flag(String key) {
        return (Boolean) require(key);
    }

    public String text(String key) {
        return (String) require(key);
    }

    @SuppressWarnings("unchecked")
    public List<Integer> integers(String key) {
        return (List<Integer>) require(key);
    }

    @SuppressWarnings("unchecked")
    public List<Double> numbers(String key) {
        return (List<Double>) require(key);
    }

    /**
     * A comma-separated text setting read as distinct choices from the allowed ones, in the order
     * given; anything else is an error naming the value, the key and the allowed choices.
     *
     * @param noun what one choice is, for the message ("model")
     */
    public List<String> distinctChoices(String key, String noun, List<String> allowed) {
        List<String> chosen = new ArrayList<>();
        for (String part : text(key).split(",")) {
            String choice = part.trim();
            if (!allowed.contains(choice) || chosen.contains(choice)) {
                throw new IllegalArgumentException(
                        "invalid "
                                + noun
                                + " '"
                                + choice
                                + "' in setting '"
                                + key
                                + "'; allowed: each of "
                                + String.join(", ", allowed)
                                + " at most once");
            }
            chosen.add(choice);
        }
        return chosen;
    }

    /** All values by key, for result files. */
    public Map<String, Object> asMap() {
        return new LinkedHashMap<>(values);
    }

    private Object require(String key) {
        Object value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException(
                    "unknown setting '" + key + "'; valid keys: " + String.join(", ", keys()));
        }
        return value;
    }

    private static Object parse(String key, String text, Object current) {
        try {
            if (current instanceof Integer) {
                return Integer.parseInt(text);
            }
            if (current instanceof Double) {
                double value = Double.parseDouble(text);
                if (!Double.isFinite(value)) {
                    throw new NumberFormatException(text);
                }
                return value;
            }
            if (current instanceof Boolean) {
                if (!text.equals("true") && !text.equals("false")) {
                    throw new NumberFormatException(text);
                }
                return Boolean.parseBoolean(text);
            }
            if (current instanceof List<?> list) {
                boolean integers = !list.isEmpty() && list.get(0) instanceof Integer;
                List<Object> parsed = new ArrayList<>();
                for (String part : text.split(",")) {
                    parsed.add(
                            integers
                                    ? (Object) Integer.parseInt(part.trim())
                                    : (Object) Double.parseDouble(part.trim()));
                }
                if (parsed.isEmpty()) {
                    throw new NumberFormatException(text);
                }
                return List.copyOf(parsed);
            }
            return text;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "invalid value '"
                            + text
                            + "' for setting '"
                            + key
                            + "'; expected "
                            + typeName(current));
        }
    }

    /** The type of a value in words, for messages and documentation. */
    public static String typeName(Object value) {
        if (value instanceof Integer) {
            return "an integer";
        }
        if (value instanceof Double) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "true or false";
        }
        if (value instanceof List<?> list) {
            return !list.isEmpty() && list.get(0) instanceof Integer
                    ? "a comma-separated list of integers"
                    : "a comma-separated list of numbers";
        }
        return "text";
    }

    private static String join(List<?> list) {
        return String.join(",", list.stream().map(String::valueOf).toList());
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
