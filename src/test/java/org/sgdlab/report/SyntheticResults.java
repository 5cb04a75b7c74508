package org.sgdlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.experiment.Plot;
import org.sgdlab.experiment.Verdict;

/** Hand-made experiment results for the report's tests: nothing in them was trained. */
final class SyntheticResults {
    static final String HOSTILE_NOTE = "a note with <script>alert('x')</script> & more";

    static final int[] WIDTHS = {16, 32, 64, 128, 256, 512, 1024};
    static final int SEEDS = 8;

    private SyntheticResults() {}

    /**
     * A width sweep of 7 widths by 8 seeds (56 rows, so the table groups them), one verdict that
     * holds and one that does not, four figures (a band on log-log axes, points with error bars, a
     * series with no positive value on a log axis, plain points) and a note with markup in it.
     */
    static ExperimentResult widthSweep() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int width : WIDTHS) {
            for (int seed = 1; seed <= SEEDS; seed++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("run", "width=" + width + "-seed=" + seed);
                row.put("seed", (long) seed);
                row.put("width", width);
                row.put("final_loss", 1.0 / width + seed * 1e-4);
                row.put("weight_distance", 1.0 / Math.sqrt(width) * (1 + 0.01 * seed));
                row.put("steps_to_target", 4000 / width + seed);
                row.put("converged", seed % 4 != 0);
                rows.add(row);
            }
        }

        double[] x = new double[WIDTHS.length];
        double[] distance = new double[WIDTHS.length];
        double[] low = new double[WIDTHS.length];
        double[] high = new double[WIDTHS.length];
        double[] loss = new double[WIDTHS.length];
        for (int i = 0; i < WIDTHS.length; i++) {
            x[i] = WIDTHS[i];
            distance[i] = 1.0 / Math.sqrt(WIDTHS[i]);
            low[i] = distance[i] * 0.8;
            high[i] = distance[i] * 1.25;
            loss[i] = 1.0 / WIDTHS[i];
        }
        low[0] = -0.1;
        List<Plot> plots =
                List.of(
                        new Plot(
                                "weight-distance",
                                "Relative weight distance against width",
                                "width m",
                                "||W_t - W_0|| / ||W_0||",
                                true,
                                true,
                                List.of(
                                        Plot.Series.band("measured", x, distance, low, high),
                                        Plot.Series.line("m^(-1/2)", x, scale(distance, 0.9)))),
                        new Plot(
                                "final-loss",
                                "Final training loss",
                                "width m",
                                "loss",
                                true,
                                true,
                                List.of(
                                        new Plot.Series(
                                                "mean over seeds",
                                                x,
                                                loss,
                                                scale(loss, 0.7),
                                                scale(loss, 1.4),
                                                true),
                                        Plot.Series.points(
                                                "zero loss", new double[] {1, 2}, new double[2]))),
                        new Plot(
                                "nothing-positive",
                                "A figure with nothing to show on a log axis",
                                "x",
                                "y",
                                false,
                                true,
                                List.of(
                                        Plot.Series.line(
                                                "negative",
                                                new double[] {1, 2},
                                                new double[] {-1, 0}))),
                        new Plot(
                                "steps",
                                "Steps to reach the target loss",
                                "width m",
                                "steps",
                                false,
                                false,
                                List.of(
                                        Plot.Series.points(
                                                "runs",
                                                x,
                                                new double[] {250, 125, 62, 31, 15, 8, 4}))));

        List<Verdict> verdicts =
                List.of(
                        new Verdict(
                                "Weights move less from initialization in wider networks.",
                                "log-log slope of weight distance on width",
                                -0.4987,
                                -0.52,
                                -0.47,
                                true,
                                "upper end of the interval below 0"),
                        new Verdict(
                                "The distance shrinks like m^(-1).",
                                "log-log slope of weight distance on width",
                                -0.4987,
                                -0.52,
                                -0.47,
                                false,
                                "interval contains -1"));

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("widths", List.of(16, 32, 64, 128, 256, 512, 1024));
        settings.put("learning_rate", 0.1);
        settings.put("examples", 64);
        settings.put("random_labels", true);
        return new ExperimentResult(
                "width-distance",
                "Trains ReLU networks of growing width on random labels & measures how far weights"
                        + " move.",
                List.of(
                        "Weights move less from initialization in wider networks.",
                        "The distance shrinks like m^(-1)."),
                "quick",
                settings,
                seeds(SEEDS),
                rows,
                verdicts,
                plots,
                List.of("The slope is -0.4987, close to -1/2 rather than -1.", HOSTILE_NOTE),
                83.4,
                0);
    }

    /** A small experiment with one seed, a verdict whose value is not a number, and no plots. */
    static ExperimentResult diverged() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (double rate : new double[] {0.01, 0.1, 10}) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run", "rate=" + rate);
            row.put("seed", 7L);
            row.put("learning_rate", rate);
            row.put("test_error", rate > 1 ? Double.NaN : 0.12345678 / (1 + rate));
            row.put("outcome", rate > 1 ? "diverged at step 812, loss NaN" : "reached target");
            rows.add(row);
        }
        return new ExperimentResult(
                "large-rate",
                "Compares small and large learning rates.",
                List.of("A large learning rate then decay generalizes better."),
                "quick",
                Map.of("rates", List.of(0.01, 0.1, 10.0)),
                List.of(7L),
                rows,
                List.of(
                        new Verdict(
                                "A large learning rate then decay generalizes better.",
                                "difference of test errors",
                                Double.NaN,
                                Double.NaN,
                                Double.NaN,
                                false,
                                "upper end below 0")),
                List.of(),
                List.of(),
                1.5e-3 * 4000,
                2);
    }

    /** A provenance record as the sweep writes it. */
    static Map<String, Object> provenance(ExperimentResult result) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("experiment", result.name());
        record.put("profile", result.profile());
        record.put("seeds", result.seeds());
        record.put("settings", result.settings());
        record.put("wall_seconds", result.wallSeconds());
        record.put("runs_read_back", result.runsReadBack());
        record.put("sgdlab_version", "development");
        record.put("commit", "0123456789abcdef0123456789abcdef01234567");
        record.put("created", "2025-01-01T00:00:00Z");
        record.put("java_version", "17.0.15");
        record.put("java_vendor", "Debian");
        record.put("java_vm", "OpenJDK 64-Bit Server VM");
        record.put("os", "Linux 6.1");
        record.put("arch", "amd64");
        record.put("cores", 2);
        record.put("max_heap_mib", 4096);
        record.put("openblas", "OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64");
        return record;
    }

    private static List<Long> seeds(int count) {
        List<Long> seeds = new ArrayList<>();
        for (long seed = 1; seed <= count; seed++) {
            seeds.add(seed);
        }
        return seeds;
    }

    private static double[] scale(double[] values, double factor) {
        double[] scaled = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            scaled[i] = values[i] * factor;
        }
        return scaled;
    }
}
