package org.sgdlab.experiment.overparam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sgdlab.data.Dataset;
import org.sgdlab.data.Synthetic;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.Plot;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.RunSpec;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Statistics;
import org.sgdlab.experiment.Verdict;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Mlp;
import org.sgdlab.nn.Sequential;
import org.sgdlab.optim.Sgd;
import org.sgdlab.probe.SignFlips;
import org.sgdlab.probe.TangentKernel;
import org.sgdlab.probe.WeightDistance;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.train.Trainer;
import org.sgdlab.train.TrainingResult;

/**
 * Wider networks converge faster and move less from initialization: the setting of Du, Zhai, Poczos
 * and Singh (2019), "Gradient descent provably optimizes over-parameterized neural networks".
 *
 * <p>Data: n points x_i uniform on the unit sphere in d dimensions with N(0, 1) targets y_i, drawn
 * once per seed and shared by every width. Model: f(x) = (1/sqrt(m)) sum_r a_r relu(w_r . x) with
 * w_r(0) ~ N(0, I_d) trained and a_r = +1 or -1 frozen ({@link Mlp#twoLayerFixedOutput}). Training:
 * full-batch gradient descent for a fixed number of steps.
 *
 * <p>Loss convention. Du et al. analyse L(W) = (1/2) sum_i (f(x_i) - y_i)^2 with the update W &lt;-
 * W - eta grad L. The trainer minimizes the mean squared error MSE = (1/n) sum_i (f(x_i) - y_i)^2 =
 * (2/n) L, so the setting {@code step_size} is Du et al.'s eta and the trainer's learning rate is
 * eta n / 2: both give the same update. Losses reported are the trainer's MSE. In Du et al.'s terms
 * the outputs follow u(k+1) - y = (I - eta H(k)) (u(k) - y), so eta lambda_max(H) &lt; 2 is needed;
 * lambda_max(H^infinity) is about 3 for n = 64, d = 10, and the default eta = 0.25 keeps a wide
 * margin.
 *
 * <p>Per run, against the initial weights: the final training loss, the share of (unit, example)
 * sign patterns that flipped ({@link SignFlips}), the relative distance ||W_T - W_0||_F / ||W_0||_F
 * and the largest per-unit distance max_r ||w_r(T) - w_r(0)|| ({@link WeightDistance}), the kernel
 * change ||H(T) - H(0)||_F / ||H(0)||_F and the least eigenvalues of H(0) and H(T) ({@link
 * TangentKernel}, closed form), and lambda_0, the least eigenvalue of the infinite-width kernel
 * H^infinity on the same data.
 *
 * <p>Verdicts, in the order of {@link #claims()}, each over all runs of all seeds at 95 %:
 *
 * <ol>
 *   <li>Spearman's correlation of final loss with width (bootstrap interval; a diverged run counts
 *       as the largest loss): holds if the interval lies below 0.
 *   <li>to 4. the log-log slope of the sign-flip share, the largest unit distance and the kernel
 *       change on width (t interval): each holds if the interval lies below 0.
 *   <li value="5">the mean of lambda_min(H(0)) / lambda_0 at the largest width: holds if the lower
 *       end exceeds 1/2, the bound lambda_min(H) &gt; lambda_0 / 2 under which Du et al.'s proof
 *       runs.
 *   <li>the log-log slope of |lambda_min(H(0)) / lambda_0 - 1| on width: holds if the interval lies
 *       below 0 (the spread around lambda_0 shrinks).
 *   <li>the log-log slope of the relative distance on width: holds if the interval contains -1/2 or
 *       lies within [-0.7, -0.3].
 * </ol>
 *
 * <p>Cost, measured on the two shared cores here: the quick profile (n = 64, d = 10, widths 2^6 to
 * 2^13, 400 steps, 3 seeds) needs about 15 CPU-seconds, 15 to 25 s of wall time. The full profile
 * (n = 256, d = 16, widths 2^6 to 2^14, 2000 steps) ran in 214 s on two otherwise idle cores, every
 * verdict holding.
 */
public final class WidthConvergence implements Experiment {
    /** The relative distance exponent of the theory, and the band accepted around it. */
    static final double DISTANCE_EXPONENT = -0.5;

    static final double DISTANCE_EXPONENT_LOW = -0.7;
    static final double DISTANCE_EXPONENT_HIGH = -0.3;

    /** The share of lambda_0 that lambda_min(H(0)) must keep at the largest width. */
    static final double EIGENVALUE_SHARE = 0.5;

    @Override
    public String name() {
        return "width-convergence";
    }

    @Override
    public String description() {
        return "Du et al.'s two-layer ReLU net on random targets: wider nets converge faster and"
                + " move less from initialization";
    }

    @Override
    public List<String> claims() {
        return List.of(
                "The training loss after a fixed number of gradient-descent steps falls as the"
                        + " width m grows.",
                "The share of ReLU sign patterns that flipped during training falls as m grows.",
                "The largest distance a hidden unit moved, max_r ||w_r(T) - w_r(0)||, falls as m"
                        + " grows.",
                "The tangent kernel moves less as m grows: ||H(T) - H(0)||_F / ||H(0)||_F falls"
                        + " with m.",
                "The least eigenvalue of H(0) stays away from zero at large width: above half of"
                        + " lambda_0, the least eigenvalue of the infinite-width kernel.",
                "The least eigenvalue of H(0) concentrates at lambda_0 as m grows.",
                "The relative distance ||W_T - W_0||_F / ||W_0||_F shrinks like m^(-1/2).");
    }

    @Override
    public Settings settings(Profile profile) {
        return new Settings()
                .define("train_size", profile, 64, 256, "number n of training points")
                .define(
                        "dimension",
                        profile,
                        10,
                        16,
                        "input dimension d; points on the unit sphere")
                .define(
                        "widths",
                        profile,
                        List.of(64, 128, 256, 512, 1024, 2048, 4096, 8192),
                        List.of(64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384),
                        "hidden widths m")
                .define("steps", profile, 400, 2000, "full-batch gradient-descent steps T")
                .define(
                        "step_size",
                        0.25,
                        "Du et al.'s step eta on (1/2) sum (f - y)^2; the trainer's learning rate"
                                + " on the mean squared error is eta n / 2")
                .define(
                        "log_every",
                        profile,
                        20,
                        100,
                        "steps between logged evaluations and probes")
                .define("confidence", 0.95, "confidence level of every interval")
                .define("bootstrap_resamples", 2000, "resamples of the Spearman interval");
    }

    @Override
    public List<RunSpec> runs(Settings settings, List<Long> seeds) {
        List<Integer> widths = Checks.distinctPositive(settings, "widths", 3);
        Checks.positive(settings, "train_size");
        Checks.positive(settings, "dimension");
        Checks.positive(settings, "steps");
        Checks.positive(settings, "log_every");
        Checks.positiveNumber(settings, "step_size");
        List<RunSpec> runs = new ArrayList<>();
        for (long seed : seeds) {
            for (int width : widths) {
                runs.add(new RunSpec("m=" + width + "_seed=" + seed, Map.of("width", width), seed));
            }
        }
        return runs;
    }

    @Override
    public Map<String, Object> execute(RunSpec run, Settings settings) {
        int n = settings.integer("train_size");
        int d = settings.integer("dimension");
        int width = run.integer("width");
        RandomStream random = new RandomStream(run.seed());
        Dataset train =
                Synthetic.randomLabels(n, 0, d, 0, Synthetic.Inputs.SPHERE, random.derive("data"))
                        .train();
        Sequential model = Mlp.twoLayerFixedOutput(d, width, random.derive("model"));

        SignFlips flips = new SignFlips(model, train.inputs());
        WeightDistance distance = new WeightDistance(model.snapshot());
        TangentKernel kernel = new TangentKernel(model, train.inputs(), true);
        double infiniteWidthEigenvalue =
                TangentKernel.leastEigenvalue(TangentKernel.infiniteWidthGram(train.inputs()));
        double learningRate = settings.number("step_size") * n / 2;
        TrainingResult result =
                Trainer.builder(
                                model,
                                Loss.MSE,
                                new Sgd(model.trainableParameters(), learningRate),
                                train)
                        .batchSize(n)
                        .steps(settings.integer("steps"))
                        .logEvery(settings.integer("log_every"))
                        .random(random.derive("batches"))
                        .probe(flips)
                        .probe(distance)
                        .probe(kernel)
                        .build()
                        .run();

        Map<String, Double> first = result.history().get(0);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        row.put("initial_loss", first.get("train_loss"));
        row.put("final_loss", result.metric("train_loss"));
        row.put("sign_flip_fraction", result.metric("sign_flip_fraction_1"));
        row.put("relative_distance", result.metric("relative_distance_1"));
        row.put("largest_unit_distance", result.metric("largest_unit_distance_1"));
        row.put("kernel_relative_change", result.metric("kernel_relative_change"));
        row.put("least_eigenvalue_initial", first.get("kernel_least_eigenvalue"));
        row.put("least_eigenvalue_final", result.metric("kernel_least_eigenvalue"));
        row.put("least_eigenvalue_infinite_width", infiniteWidthEigenvalue);
        for (Map<String, Double> logged : result.history()) {
            row.put("loss_at_step_" + logged.get("step").longValue(), logged.get("train_loss"));
        }
        return row;
    }

    @Override
    public Analysis analyze(List<Map<String, Object>> rows, Settings settings) {
        double confidence = settings.number("confidence");
        List<Map<String, Object>> finite =
                Rows.where(rows, row -> Double.isFinite(Rows.number(row, "final_loss")));
        double[] widths = Rows.distinct(rows, "width");
        List<String> notes = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        if (finite.size() < rows.size()) {
            notes.add(
                    (rows.size() - finite.size())
                            + " of "
                            + rows.size()
                            + " runs diverged; they count as the largest loss and are left out"
                            + " of the slopes. Lower step_size.");
        }

        verdicts.add(lossVerdict(rows, widths, settings, notes));
        verdicts.add(
                fallingVerdict(
                        finite,
                        "sign_flip_fraction",
                        "sign-flip share",
                        claims().get(1),
                        confidence,
                        notes));
        verdicts.add(
                fallingVerdict(
                        finite,
                        "largest_unit_distance",
                        "largest unit distance",
                        claims().get(2),
                        confidence,
                        notes));
        verdicts.add(
                fallingVerdict(
                        finite,
                        "kernel_relative_change",
                        "kernel change",
                        claims().get(3),
                        confidence,
                        notes));
        verdicts.add(eigenvalueVerdict(rows, widths, confidence, notes));
        verdicts.add(spreadVerdict(rows, confidence, notes));
        verdicts.add(distanceVerdict(finite, widths, confidence, notes));
        finalEigenvalueNote(finite, widths, notes);

        List<Plot> plots =
                List.of(
                        lossPlot(finite, widths),
                        movementPlot(finite, widths),
                        distancePlot(finite, widths, confidence),
                        eigenvaluePlot(rows, widths, confidence));
        return new Analysis(verdicts, plots, notes);
    }

    private Verdict lossVerdict(
            List<Map<String, Object>> rows,
            double[] widths,
            Settings settings,
            List<String> notes) {
        double[] width = Rows.column(rows, "width");
        double[] loss = Rows.column(rows, "final_loss");
        for (int i = 0; i < loss.length; i++) {
            loss[i] = Double.isFinite(loss[i]) ? loss[i] : Double.POSITIVE_INFINITY;
        }
        Statistics.Estimate rho =
                Statistics.spearman(
                        width,
                        loss,
                        settings.number("confidence"),
                        settings.integer("bootstrap_resamples"),
                        new RandomStream(0).derive(name() + "/loss"));
        double[] means = Rows.groupMeans(rows, "width", widths, "final_loss");
        boolean holds = rho.below(0);
        notes.add(
                "Final training loss (mean over seeds) "
                        + (holds ? "falls" : "does not fall steadily")
                        + " with width: "
                        + Rows.format(means[0])
                        + " at m = "
                        + (long) widths[0]
                        + ", "
                        + Rows.format(means[means.length - 1])
                        + " at m = "
                        + (long) widths[widths.length - 1]
                        + "; Spearman correlation "
                        + Rows.format(rho)
                        + ".");
        return new Verdict(
                claims().get(0),
                "Spearman correlation of final training loss with width",
                rho.value(),
                rho.low(),
                rho.high(),
                holds,
                "holds if the whole bootstrap interval lies below 0");
    }

    private static Verdict fallingVerdict(
            List<Map<String, Object>> rows,
            String key,
            String label,
            String claim,
            double confidence,
            List<String> notes) {
        double[][] pairs =
                Rows.finitePairs(Rows.column(rows, "width"), Rows.column(rows, key), true);
        String statistic = "log-log slope of the " + label + " on width";
        String criterion = "holds if the whole t interval of the slope lies below 0";
        if (pairs[0].length < 3) {
            notes.add("Too few positive values of the " + label + " for a slope.");
            return new Verdict(
                    claim, statistic, Double.NaN, Double.NaN, Double.NaN, false, criterion);
        }
        Statistics.Estimate slope = Statistics.logLogSlope(pairs[0], pairs[1], confidence);
        boolean holds = slope.below(0);
        notes.add(
                "The "
                        + label
                        + " scales like m^b with b = "
                        + Rows.format(slope)
                        + (holds ? "." : ": it does not fall significantly with width."));
        return new Verdict(
                claim, statistic, slope.value(), slope.low(), slope.high(), holds, criterion);
    }

    private Verdict eigenvalueVerdict(
            List<Map<String, Object>> rows,
            double[] widths,
            double confidence,
            List<String> notes) {
        double largest = widths[widths.length - 1];
        double[] ratios =
                eigenvalueRatios(Rows.where(rows, "width", largest), "least_eigenvalue_initial");
        Statistics.Estimate ratio = Statistics.mean(ratios, confidence);
        boolean holds = ratio.above(EIGENVALUE_SHARE);
        notes.add(
                "At m = "
                        + (long) largest
                        + ", lambda_min(H(0)) / lambda_0 = "
                        + Rows.format(ratio)
                        + (holds ? "" : ", not clearly above 1/2")
                        + "; lambda_0 itself averages "
                        + Rows.format(
                                Statistics.mean(
                                        Rows.column(rows, "least_eigenvalue_infinite_width")))
                        + ".");
        return new Verdict(
                claims().get(4),
                "mean of lambda_min(H(0)) / lambda_0 at the largest width",
                ratio.value(),
                ratio.low(),
                ratio.high(),
                holds,
                "holds if the lower end of the t interval exceeds 1/2");
    }

    private Verdict spreadVerdict(
            List<Map<String, Object>> rows, double confidence, List<String> notes) {
        double[] ratios = eigenvalueRatios(rows, "least_eigenvalue_initial");
        double[] deviations = new double[ratios.length];
        for (int i = 0; i < ratios.length; i++) {
            deviations[i] = Math.abs(ratios[i] - 1);
        }
        double[][] pairs = Rows.finitePairs(Rows.column(rows, "width"), deviations, true);
        String statistic = "log-log slope of |lambda_min(H(0)) / lambda_0 - 1| on width";
        String criterion = "holds if the whole t interval of the slope lies below 0";
        if (pairs[0].length < 3) {
            return new Verdict(
                    claims().get(5),
                    statistic,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    false,
                    criterion);
        }
        Statistics.Estimate slope = Statistics.logLogSlope(pairs[0], pairs[1], confidence);
        notes.add(
                "The deviation |lambda_min(H(0)) / lambda_0 - 1| scales like m^b with b = "
                        + Rows.format(slope)
                        + ".");
        return new Verdict(
                claims().get(5),
                statistic,
                slope.value(),
                slope.low(),
                slope.high(),
                slope.below(0),
                criterion);
    }

    private Verdict distanceVerdict(
            List<Map<String, Object>> rows,
            double[] widths,
            double confidence,
            List<String> notes) {
        double[][] pairs =
                Rows.finitePairs(
                        Rows.column(rows, "width"), Rows.column(rows, "relative_distance"), true);
        String statistic = "log-log slope of ||W_T - W_0||_F / ||W_0||_F on width";
        String criterion = "holds if the t interval contains -0.5 or lies within [-0.7, -0.3]";
        if (pairs[0].length < 3) {
            return new Verdict(
                    claims().get(6),
                    statistic,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    false,
                    criterion);
        }
        Statistics.Estimate slope = Statistics.logLogSlope(pairs[0], pairs[1], confidence);
        boolean holds =
                slope.contains(DISTANCE_EXPONENT)
                        || (slope.low() >= DISTANCE_EXPONENT_LOW
                                && slope.high() <= DISTANCE_EXPONENT_HIGH);
        String wide = "";
        double median = widths[widths.length / 2];
        List<Map<String, Object>> wideRows =
                Rows.where(rows, row -> Rows.number(row, "width") >= median);
        if (Rows.distinct(wideRows, "width").length >= 3) {
            double[][] widePairs =
                    Rows.finitePairs(
                            Rows.column(wideRows, "width"),
                            Rows.column(wideRows, "relative_distance"),
                            true);
            wide =
                    "; over widths m >= "
                            + (long) median
                            + " alone b = "
                            + Rows.format(
                                    Statistics.logLogSlope(widePairs[0], widePairs[1], confidence));
        }
        notes.add(
                "The relative distance scales like m^b with b = "
                        + Rows.format(slope)
                        + wide
                        + (holds
                                ? "."
                                : (slope.high() < DISTANCE_EXPONENT
                                        ? ": steeper than m^(-1/2)."
                                        : ": shallower than m^(-1/2).")));
        return new Verdict(
                claims().get(6),
                statistic,
                slope.value(),
                slope.low(),
                slope.high(),
                holds,
                criterion);
    }

    private static void finalEigenvalueNote(
            List<Map<String, Object>> rows, double[] widths, List<String> notes) {
        Double from = null;
        for (int i = widths.length - 1; i >= 0; i--) {
            double[] ratios =
                    eigenvalueRatios(
                            Rows.where(rows, "width", widths[i]), "least_eigenvalue_final");
            boolean all = ratios.length > 0;
            for (double ratio : ratios) {
                all &= ratio >= EIGENVALUE_SHARE;
            }
            if (!all) {
                break;
            }
            from = widths[i];
        }
        notes.add(
                from == null
                        ? "lambda_min(H(T)) falls below lambda_0 / 2 in some run at every width."
                        : "lambda_min(H(T)) stays at or above lambda_0 / 2 in every run from m = "
                                + from.longValue()
                                + " on.");
    }

    private static double[] eigenvalueRatios(List<Map<String, Object>> rows, String key) {
        double[] eigenvalues = Rows.column(rows, key);
        double[] infinite = Rows.column(rows, "least_eigenvalue_infinite_width");
        double[] ratios = new double[eigenvalues.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = eigenvalues[i] / infinite[i];
        }
        return ratios;
    }

    private Plot lossPlot(List<Map<String, Object>> rows, double[] widths) {
        List<Plot.Series> series = new ArrayList<>();
        for (double width : widths) {
            List<Map<String, Object>> group = Rows.where(rows, "width", width);
            if (group.isEmpty()) {
                continue;
            }
            List<Double> steps = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            for (String key : group.get(0).keySet()) {
                if (key.startsWith("loss_at_step_")) {
                    steps.add(Double.parseDouble(key.substring("loss_at_step_".length())));
                    losses.add(Statistics.mean(Rows.column(group, key)));
                }
            }
            series.add(
                    Plot.Series.line(
                            "m = " + (long) width,
                            steps.stream().mapToDouble(Double::doubleValue).toArray(),
                            losses.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return new Plot(
                name() + "-loss",
                "Training loss by width (mean over seeds)",
                "gradient-descent step",
                "training loss (mean squared error)",
                false,
                true,
                series);
    }

    private Plot movementPlot(List<Map<String, Object>> rows, double[] widths) {
        String[][] measures = {
            {"sign_flip_fraction", "sign-flip share"},
            {"relative_distance", "||W_T - W_0||_F / ||W_0||_F"},
            {"largest_unit_distance", "max_r ||w_r(T) - w_r(0)||"},
            {"kernel_relative_change", "||H(T) - H(0)||_F / ||H(0)||_F"}
        };
        List<Plot.Series> series = new ArrayList<>();
        for (String[] measure : measures) {
            series.add(
                    Plot.Series.line(
                            measure[1],
                            widths,
                            Rows.groupMeans(rows, "width", widths, measure[0])));
        }
        return new Plot(
                name() + "-movement",
                "Movement from initialization after T steps (mean over seeds)",
                "width m",
                "value at step T",
                true,
                true,
                series);
    }

    private Plot distancePlot(List<Map<String, Object>> rows, double[] widths, double confidence) {
        double[][] band =
                Rows.groupGeometricIntervals(
                        rows, "width", widths, "relative_distance", confidence);
        double[][] pairs =
                Rows.finitePairs(
                        Rows.column(rows, "width"), Rows.column(rows, "relative_distance"), true);
        List<Plot.Series> series = new ArrayList<>();
        series.add(
                Plot.Series.band("geometric mean over seeds", widths, band[0], band[1], band[2]));
        if (pairs[0].length >= 3) {
            double slope = Statistics.logLogSlope(pairs[0], pairs[1], confidence).value();
            series.add(
                    Plot.Series.line(
                            "fit: m^" + Rows.format(slope),
                            widths,
                            Rows.powerLawFit(pairs[0], pairs[1], slope, widths)));
            series.add(
                    Plot.Series.line(
                            "m^-0.5 through the first width",
                            widths,
                            halfPowerLine(widths, band[0][0])));
        }
        return new Plot(
                name() + "-distance",
                "Relative distance from initialization against width",
                "width m",
                "||W_T - W_0||_F / ||W_0||_F",
                true,
                true,
                series);
    }

    private static double[] halfPowerLine(double[] widths, double start) {
        double[] line = new double[widths.length];
        for (int i = 0; i < widths.length; i++) {
            line[i] = start * Math.pow(widths[i] / widths[0], DISTANCE_EXPONENT);
        }
        return line;
    }

    private Plot eigenvaluePlot(
            List<Map<String, Object>> rows, double[] widths, double confidence) {
        List<Map<String, Object>> withRatios = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            double infinite = Rows.number(row, "least_eigenvalue_infinite_width");
            copy.put("ratio_initial", Rows.number(row, "least_eigenvalue_initial") / infinite);
            copy.put("ratio_final", Rows.number(row, "least_eigenvalue_final") / infinite);
            withRatios.add(copy);
        }
        double[][] initial =
                Rows.groupIntervals(withRatios, "width", widths, "ratio_initial", confidence);
        double[][] last =
                Rows.groupIntervals(withRatios, "width", widths, "ratio_final", confidence);
        double[] half = new double[widths.length];
        Arrays.fill(half, EIGENVALUE_SHARE);
        return new Plot(
                name() + "-eigenvalue",
                "Least eigenvalue of the tangent kernel relative to lambda_0",
                "width m",
                "lambda_min(H) / lambda_0",
                true,
                false,
                List.of(
                        Plot.Series.band("H(0)", widths, initial[0], initial[1], initial[2]),
                        Plot.Series.band("H(T)", widths, last[0], last[1], last[2]),
                        Plot.Series.line("1/2", widths, half)));
    }
}
