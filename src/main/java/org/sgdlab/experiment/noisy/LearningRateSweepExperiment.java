package org.sgdlab.experiment.noisy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.Plot;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.Rows;
import org.sgdlab.experiment.RunSpec;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Statistics;
import org.sgdlab.experiment.Verdict;
import org.sgdlab.optim.Schedule;
import org.sgdlab.tensor.RandomStream;

/**
 * Claim 6 across learning rates: test error of SGD on the two-signal set against the initial
 * learning rate eta_0 and the point of decay, with the training error of every point beside it.
 *
 * <p>Each run trains the two-layer ReLU network of {@link LearningRateExperiment} with eta_0 for t
 * < f T and finalLearningRate after (a drop at the decay point f), for every eta_0 in the grid and
 * every f in decayFractions, and once more at eta_0 throughout (the series "no decay"). Runs of one
 * seed share data, initialization and batch order. Every point also records the training error on
 * the fittable groups at the decay point and at the end, and the share of ReLUs silent on symbol
 * inputs, so that a low test error can be told apart from a network that no longer fits, and a
 * large rate that ignores the symbol from one that silences the units it reaches. Test error is
 * plotted against eta_0 twice: over the whole grid, and over the rates at which every run fits,
 * whose differences of a few tenths of a point the rates that do not fit would hide.
 *
 * <p>Verdicts:
 *
 * <ul>
 *   <li>with decay, test error falls as eta_0 grows, among the runs that fit the training set:
 *       Spearman's rho between eta_0 and the test error over those runs, with a bootstrap interval,
 *       has its upper end below 0;
 *   <li>some rate of the grid that fits with decay at every seed beats the smallest rate: for each
 *       such rate the paired difference of test errors (smallest minus it, decay at the first decay
 *       point) gets a Bonferroni-corrected interval, at confidence 1 - 0.05 / k for k rates, and
 *       one of them has its lower end above 0.
 * </ul>
 *
 * <p>Cost: the quick profile (p = 50, N = 250, m = 512, 4,000 steps, 6 rates, 2 decay points and no
 * decay: 216 runs over 12 seeds) took 43 s on two free cores; the full profile (20,000 steps, 11
 * rates, 3 decay points and no decay: 528 runs over 12 seeds) took 8 minutes.
 *
 * <p>On seeds 0 to 11 and 100 to 111 both profiles gave the same verdicts: some larger rate beats
 * the smallest, but test error does not fall with eta_0 over the rates that fit. In the full
 * profile it falls by 0.15 to 0.2 points from eta_0 = 0.003 to 0.05 or 0.1 and rises again at 0.2
 * and 0.25 (rho +0.07 and +0.11, intervals from -0.03 and -0.01); from 0.3 up the runs no longer
 * fit the training set. The decay point hardly matters, and a constant rate of 0.05 does as well as
 * one that decays.
 */
public final class LearningRateSweepExperiment implements Experiment {
    private static final String NO_DECAY = "none";

    private static final List<String> CLAIMS =
            List.of(
                    "with decay, test error falls as the initial learning rate grows, among the"
                            + " runs that fit the training set",
                    "with decay, some initial learning rate above the smallest that fits the"
                            + " training set has lower test error than the smallest");

    @Override
    public String name() {
        return "learning-rate-sweep";
    }

    @Override
    public String description() {
        return "Test error on the two-signal set against the initial learning rate and the decay"
                + " point, with the training error of every point.";
    }

    @Override
    public List<String> claims() {
        return CLAIMS;
    }

    /**
     * Twelve seeds, as in {@link LearningRateExperiment}: neighbouring rates differ by a few tenths
     * of a point of test error, and with three seeds the verdict on the best rate changed with the
     * seeds in the full profile.
     */
    @Override
    public int seeds(Profile profile) {
        return 12;
    }

    @Override
    public Settings settings(Profile profile) {
        Settings settings = TwoSignalRun.defineShared(new Settings(), profile);
        return settings.define("steps", profile, 4000, 20000, "the SGD steps of every run")
                .define("symbolStrength", 2.0, "s with |z| = s sqrt(p): the regime of the sweep")
                .define(
                        "initialLearningRates",
                        profile,
                        List.of(0.01, 0.03, 0.1, 0.2, 0.3, 0.4),
                        List.of(0.003, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.6),
                        "the grid of eta_0")
                .define(
                        "decayFractions",
                        profile,
                        List.of(0.25, 0.5),
                        List.of(0.25, 0.5, 0.75),
                        "the decay points f, shares of the steps")
                .define("finalLearningRate", 0.01, "the learning rate after the decay")
                .define(
                        "fitThreshold",
                        0.01,
                        "the largest training error on the fittable groups that counts as fitted");
    }

    @Override
    public List<RunSpec> runs(Settings settings, List<Long> seeds) {
        List<RunSpec> runs = new ArrayList<>();
        List<String> decays = decayLabels(settings);
        for (double rate : settings.numbers("initialLearningRates")) {
            for (String decay : decays) {
                for (long seed : seeds) {
                    Map<String, Object> parameters = new LinkedHashMap<>();
                    parameters.put("initialLearningRate", rate);
                    parameters.put("decay", decay);
                    String id =
                            String.format(Locale.ROOT, "lr=%s_decay=%s_seed=%d", rate, decay, seed);
                    runs.add(new RunSpec(id, parameters, seed));
                }
            }
        }
        return runs;
    }

    /** The decay points as text, then "none" for the runs without decay. */
    private static List<String> decayLabels(Settings settings) {
        List<String> labels = new ArrayList<>();
        for (double fraction : settings.numbers("decayFractions")) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException(
                        "decayFractions must lie in (0, 1), got " + fraction);
            }
            labels.add(String.valueOf(fraction));
        }
        labels.add(NO_DECAY);
        return labels;
    }

    @Override
    public Map<String, Object> execute(RunSpec run, Settings settings) {
        double rate = run.number("initialLearningRate");
        double end = settings.number("finalLearningRate");
        if (!(rate > 0) || !(end > 0)) {
            throw new IllegalArgumentException(
                    "learning rates must be positive, got initial " + rate + " and final " + end);
        }
        long steps = TwoSignalRun.positive(settings, "steps");
        String decay = run.text("decay");
        Schedule learningRate;
        long mark;
        if (decay.equals(NO_DECAY)) {
            learningRate = Schedule.constant(rate);
            mark = steps / 2;
        } else {
            mark = Math.round(Double.parseDouble(decay) * steps);
            learningRate = Schedule.drop(rate, mark, end / rate);
        }
        return TwoSignalRun.execute(
                TwoSignalRun.config(
                        settings,
                        settings.number("symbolStrength"),
                        steps,
                        learningRate,
                        null,
                        null,
                        mark),
                run.seed());
    }

    @Override
    public Analysis analyze(List<Map<String, Object>> rows, Settings settings) {
        List<Double> rates = settings.numbers("initialLearningRates");
        List<String> decays = decayLabels(settings);
        double threshold = settings.number("fitThreshold");
        double[] x = rates.stream().mapToDouble(Double::doubleValue).toArray();

        List<Plot.Series> testSeries = new ArrayList<>();
        List<Plot.Series> trainSeries = new ArrayList<>();
        List<Plot.Series> phaseSeries = new ArrayList<>();
        List<Plot.Series> silentSeries = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String decay : decays) {
            double[] test = new double[x.length];
            double[] low = new double[x.length];
            double[] high = new double[x.length];
            double[] train = new double[x.length];
            double[] phase = new double[x.length];
            double[] silent = new double[x.length];
            StringBuilder line =
                    new StringBuilder(
                            decay.equals(NO_DECAY)
                                    ? "no decay: test error (training error) by eta_0:"
                                    : "decay at f = "
                                            + decay
                                            + ": test error (training error at"
                                            + " the decay point, at the end) by eta_0:");
            for (int i = 0; i < x.length; i++) {
                List<Map<String, Object>> point = select(rows, x[i], decay);
                Statistics.Estimate estimate =
                        Statistics.mean(Rows.column(point, "test_error"), 0.95);
                test[i] = estimate.value();
                low[i] = Double.isFinite(estimate.low()) ? estimate.low() : estimate.value();
                high[i] = Double.isFinite(estimate.high()) ? estimate.high() : estimate.value();
                train[i] = Statistics.mean(Rows.column(point, "train_error_fittable"));
                phase[i] = Statistics.mean(Rows.column(point, "mark_train_error_fittable"));
                silent[i] = Statistics.mean(Rows.column(point, "silent_symbol_units"));
                line.append(
                        decay.equals(NO_DECAY)
                                ? String.format(
                                        Locale.ROOT, " %s: %.4f (%.4f)", x[i], test[i], train[i])
                                : String.format(
                                        Locale.ROOT,
                                        " %s: %.4f (%.4f, %.4f)",
                                        x[i],
                                        test[i],
                                        phase[i],
                                        train[i]));
            }
            notes.add(line + ".");
            String name = decay.equals(NO_DECAY) ? "no decay" : "decay at f = " + decay;
            testSeries.add(Plot.Series.band(name, x, test, low, high));
            trainSeries.add(Plot.Series.line(name + ", end", x, train));
            if (!decay.equals(NO_DECAY)) {
                phaseSeries.add(Plot.Series.line(name, x, phase));
            }
            silentSeries.add(Plot.Series.line(name, x, silent));
        }
        trainSeries.addAll(
                phaseSeries.stream()
                        .map(
                                series ->
                                        Plot.Series.line(
                                                series.name() + ", at the decay",
                                                series.x(),
                                                series.y()))
                        .toList());

        List<Plot> plots = new ArrayList<>();
        plots.add(
                new Plot(
                        "test-error-by-learning-rate",
                        "Test error against the initial learning rate (mean and 95 % interval"
                                + " over seeds)",
                        "initial learning rate eta_0",
                        "test error",
                        true,
                        false,
                        testSeries));
        boolean[] fits = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            double rate = x[i];
            List<Map<String, Object>> runs =
                    Rows.where(rows, row -> Rows.number(row, "initialLearningRate") == rate);
            fits[i] = !runs.isEmpty() && allFit(runs, threshold);
        }
        if (count(fits) >= 2) {
            plots.add(
                    new Plot(
                            "test-error-among-fitting-rates",
                            "Test error at the initial learning rates at which every run fits the"
                                    + " training set",
                            "initial learning rate eta_0",
                            "test error",
                            true,
                            false,
                            testSeries.stream().map(series -> keep(series, fits)).toList()));
        }
        plots.add(
                new Plot(
                        "train-error-by-learning-rate",
                        "Training error on the fittable groups, at the decay point and at the end",
                        "initial learning rate eta_0",
                        "training error",
                        true,
                        false,
                        trainSeries));
        plots.add(
                new Plot(
                        "silent-units-by-learning-rate",
                        "Share of ReLUs silent on every symbol input at the end",
                        "initial learning rate eta_0",
                        "share of hidden units",
                        true,
                        false,
                        silentSeries));

        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(trend(rows, decays, threshold, settings));
        verdicts.add(betterThanSmallest(rows, x, decays.get(0), threshold, notes));
        return new Analysis(verdicts, plots, notes);
    }

    private Verdict trend(
            List<Map<String, Object>> rows,
            List<String> decays,
            double threshold,
            Settings settings) {
        List<Double> rates = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        int excluded = 0;
        for (Map<String, Object> row : rows) {
            if (String.valueOf(row.get("decay")).equals(NO_DECAY)) {
                continue;
            }
            if (Rows.number(row, "train_error_fittable") > threshold) {
                excluded++;
                continue;
            }
            rates.add(Rows.number(row, "initialLearningRate"));
            errors.add(Rows.number(row, "test_error"));
        }
        String statistic =
                "Spearman's rho of eta_0 and test error over the runs with decay that fit ("
                        + excluded
                        + " runs that do not fit left out)";
        if (rates.size() < 4) {
            return new Verdict(
                    CLAIMS.get(0),
                    statistic,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    false,
                    "upper end below 0; fewer than 4 runs fit, so no estimate");
        }
        Statistics.Estimate rho =
                Statistics.spearman(
                        rates.stream().mapToDouble(Double::doubleValue).toArray(),
                        errors.stream().mapToDouble(Double::doubleValue).toArray(),
                        0.95,
                        2000,
                        new RandomStream(settings.integer("dimension")).derive("bootstrap"));
        return new Verdict(
                CLAIMS.get(0),
                statistic,
                rho.value(),
                rho.low(),
                rho.high(),
                rho.below(0),
                "upper end below 0");
    }

    /**
     * The smallest rate against each larger rate that fits at every seed, decay at the first decay
     * point: paired differences of test error with Bonferroni-corrected intervals (confidence 1 -
     * 0.05 / k for k comparisons); the verdict reports the rate with the largest lower end.
     */
    private Verdict betterThanSmallest(
            List<Map<String, Object>> rows,
            double[] rates,
            String decay,
            double threshold,
            List<String> notes) {
        double smallest = rates[0];
        List<Double> fitting = new ArrayList<>();
        for (double rate : rates) {
            if (rate != smallest && allFit(select(rows, rate, decay), threshold)) {
                fitting.add(rate);
            }
        }
        if (fitting.isEmpty()) {
            notes.add("No initial learning rate above the smallest fits at every seed.");
            return new Verdict(
                    CLAIMS.get(1),
                    "no rate above the smallest fits at every seed",
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    false,
                    "lower end above 0 for some rate; no rate fits");
        }
        double confidence = 1 - 0.05 / fitting.size();
        double[] reference = Rows.column(select(rows, smallest, decay), "test_error");
        Statistics.Estimate best = null;
        double bestRate = Double.NaN;
        StringBuilder line =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "Test error at eta_0 = %s minus at each larger rate that fits,"
                                        + " decay at f = %s, with %.4f intervals:",
                                smallest,
                                decay,
                                confidence));
        for (double rate : fitting) {
            Statistics.Estimate difference =
                    Statistics.pairedDifference(
                            reference,
                            Rows.column(select(rows, rate, decay), "test_error"),
                            confidence);
            line.append(
                    String.format(
                            Locale.ROOT,
                            " %s: %+.4f [%+.4f, %+.4f]",
                            rate,
                            difference.value(),
                            difference.low(),
                            difference.high()));
            if (best == null || difference.low() > best.low()) {
                best = difference;
                bestRate = rate;
            }
        }
        notes.add(line + ".");
        return new Verdict(
                CLAIMS.get(1),
                String.format(
                        Locale.ROOT,
                        "test error at eta_0 = %s minus at eta_0 = %s, decay at f = %s, paired by"
                                + " seed; the best of %d rates that fit, interval at confidence"
                                + " %.4f (Bonferroni)",
                        smallest,
                        bestRate,
                        decay,
                        fitting.size(),
                        confidence),
                best.value(),
                best.low(),
                best.high(),
                best.above(0),
                "lower end above 0");
    }

    /** Whether every run ends with training error on the fittable groups at most the threshold. */
    private static boolean allFit(List<Map<String, Object>> runs, double threshold) {
        for (Map<String, Object> run : runs) {
            if (Rows.number(run, "train_error_fittable") > threshold) {
                return false;
            }
        }
        return true;
    }

    private static int count(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return count;
    }

    /** The points of a series whose flag is set, so that a plot's scale follows them alone. */
    private static Plot.Series keep(Plot.Series series, boolean[] flags) {
        int n = count(flags);
        double[] x = new double[n];
        double[] y = new double[n];
        double[] low = new double[n];
        double[] high = new double[n];
        for (int i = 0, j = 0; i < flags.length; i++) {
            if (flags[i]) {
                x[j] = series.x()[i];
                y[j] = series.y()[i];
                low[j] = series.low()[i];
                high[j] = series.high()[i];
                j++;
            }
        }
        return Plot.Series.band(series.name(), x, y, low, high);
    }

    /** The runs of one point of the grid, ordered by seed. */
    private static List<Map<String, Object>> select(
            List<Map<String, Object>> rows, double rate, String decay) {
        List<Map<String, Object>> selected = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (Rows.number(row, "initialLearningRate") == rate
                    && decay.equals(String.valueOf(row.get("decay")))) {
                selected.add(row);
            }
        }
        selected.sort((a, b) -> Double.compare(Rows.number(a, "seed"), Rows.number(b, "seed")));
        return selected;
    }
}
