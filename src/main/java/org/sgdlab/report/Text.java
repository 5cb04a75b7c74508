package org.sgdlab.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Numbers and values as the report shows them, and text escaped for HTML. */
final class Text {
    private static final MathContext FOUR_DIGITS = new MathContext(4);

    private Text() {}

    /**
     * A number to four significant digits: integers below a million as they are, magnitudes from
     * 0.001 to a million in plain notation, others as {@code 1.235e-5}.
     */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "\u221e" : "\u2212\u221e";
        }
        double magnitude = Math.abs(value);
        if (value == Math.rint(value) && magnitude < 1e6) {
            return Long.toString((long) value);
        }
        if (magnitude >= 1e-3 && magnitude < 1e6) {
            return new BigDecimal(value).round(FOUR_DIGITS).stripTrailingZeros().toPlainString();
        }
        String scientific = String.format(Locale.ROOT, "%.3e", value);
        int e = scientific.indexOf('e');
        String mantissa = scientific.substring(0, e).replaceFirst("\\.?0+$", "");
        int exponent = Integer.parseInt(scientific.substring(e + 1));
        return mantissa + "e" + exponent;
    }

    /** A value from a result file: numbers formatted, lists joined, maps as key = value pairs. */
    static String value(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        }
        if (value instanceof String text && isSpecialNumber(text)) {
            return number(Double.parseDouble(text));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Text::value).collect(Collectors.joining(", "));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(entry -> entry.getKey() + " = " + value(entry.getValue()))
                    .collect(Collectors.joining("; "));
        }
        return String.valueOf(value);
    }

    /**
     * The number a cell holds, or null: JSON numbers, and the strings "NaN", "Infinity" and
     * "-Infinity" that the result files write for values JSON has no number for.
     */
    static Double numeric(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text && isSpecialNumber(text)) {
            return Double.parseDouble(text);
        }
        return null;
    }

    /** A duration in seconds as "42.1 s", "3 min 05 s" or "2 h 07 min". */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "not recorded";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long whole = Math.round(seconds);
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", whole / 3600, whole % 3600 / 60);
    }

    /** Text escaped for HTML element content and quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static boolean isSpecialNumber(String text) {
        return text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity");
    }
}
