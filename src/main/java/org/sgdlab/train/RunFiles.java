package org.sgdlab.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sgdlab.data.AtomicFiles;

/**
 * The files of a training run: {@code metrics.csv}, {@code summary.json} and {@code
 * provenance.json}, each written whole or not at all.
 *
 * <p>{@code metrics.csv} has one row per logged step with the columns step, epoch, learning_rate,
 * train_loss, train_accuracy, then test_loss and test_accuracy when there is test data, then the
 * probe columns. Numbers are written in Java's shortest round-trip form, so equal runs give equal
 * files byte for byte; a missing value is empty. Wall time lives only in {@code summary.json}.
 */
public final class RunFiles {
    /** The JSON writer of every result file: indented, keys in insertion order. */
    public static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunFiles() {}

    /** The metrics history as CSV text, columns in order of first appearance. */
    public static String metricsCsv(List<Map<String, Double>> history) {
        Set<String> columns = new LinkedHashSet<>();
        for (Map<String, Double> row : history) {
            columns.addAll(row.keySet());
        }
        StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Double> row : history) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                cells.add(format(row.get(column)));
            }
            csv.append(String.join(",", cells)).append('\n');
        }
        return csv.toString();
    }

    /** A number as written in result files: integers without a fraction, empty for none. */
    public static String format(Double value) {
        if (value == null) {
            return "";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString(value.longValue());
        }
        if (value.isNaN()) {
            return "NaN";
        }
        return Double.toString(value).toLowerCase(Locale.ROOT);
    }

    /** Writes metrics.csv, summary.json and provenance.json of a run into the directory. */
    public static void write(
            Path directory, TrainingResult result, long seed, Map<String, Object> configuration)
            throws IOException {
        AtomicFiles.writeString(directory.resolve("metrics.csv"), metricsCsv(result.history()));
        AtomicFiles.writeString(
                directory.resolve("summary.json"),
                JSON.writeValueAsString(summary(result, seed, configuration)));
        AtomicFiles.writeString(
                directory.resolve("provenance.json"),
                JSON.writeValueAsString(Provenance.of(seed, configuration)));
    }

    /** The summary of a run: configuration, seed, outcome, final metrics and wall time. */
    public static Map<String, Object> summary(
            TrainingResult result, long seed, Map<String, Object> configuration) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("configuration", configuration);
        summary.put("seed", seed);
        summary.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        summary.put("steps", result.steps());
        if (result.reachedTarget()) {
            summary.put("steps_to_target", result.stepsToTarget());
        }
        if (result.diverged()) {
            summary.put("diverged_at_step", result.divergedAt());
        }
        Map<String, Object> finals = new LinkedHashMap<>();
        result.finalMetrics().forEach((key, value) -> finals.put(key, jsonNumber(value)));
        summary.put("final", finals);
        summary.put("wall_seconds", result.wallSeconds());
        summary.put("commit", Provenance.commit());
        return summary;
    }

    private static Object jsonNumber(Double value) {
        return value == null || value.isNaN() || value.isInfinite() ? String.valueOf(value) : value;
    }
}
