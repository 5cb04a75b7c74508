package org.sgdlab.experiment.overparam;

import java.util.ArrayList;
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
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Mlp;
import org.sgdlab.nn.Sequential;
import org.sgdlab.optim.Sgd;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.train.Trainer;
import org.sgdlab.train.TrainingResult;

/**
 * Wide enough ReLU networks trained by SGD fit random labels: for each number of examples N, the
 * smallest width that fits them, and how it grows with N (Allen-Zhu, Li and Song, 2019; Zhang et
 * al., 2017).
 *
 * <p>Data: N inputs x ~ N(0, I_d) with labels independent of the inputs, drawn once per seed and
 * size: for classification, classes uniform over {@code classes}; for regression, targets N(0, 1).
 * Model: {@link Mlp#relu} of the given depth (weight layers) and width m, He initialization (N(0, 2
 * / fan-in) weights, zero biases). Training: minibatch SGD, softmax cross-entropy for
 * classification and the mean squared error (1/N) sum_i (f(x_i) - y_i)^2, without the 1/2, for
 * regression.
 *
 * <p>Width search: the widths of the grid are tried in increasing order, each from a fresh
 * initialization, until one reaches 100 % training accuracy (classification) or a training loss at
 * most {@code loss_target} (regression) at a logged step within the budget of {@code steps} SGD
 * steps; that width is the run's m_min. Under this standard parameterization the tangent kernel
 * grows like m, so a constant learning rate makes the squared loss diverge for wide networks; the
 * learning rate is therefore eta(m) = eta min(1, m_ref / m), with m_ref {@code reference_width}:
 * constant up to m_ref and like 1/m beyond, the width scaling of Allen-Zhu et al.'s analysis.
 *
 * <p>Verdicts, for each task (classification, regression) and depth:
 *
 * <ol>
 *   <li>the share of runs (all sizes N, all seeds) that found a width in the grid: holds if every
 *       run did;
 *   <li>the exponent b of m_min ~ N^b, the slope of log m_min on log N over the runs that found
 *       one, with its 95 % t interval: holds if the interval is finite and lies above 0.
 * </ol>
 *
 * <p>Cost: the quick profile (N = 32 to 256, d = 8, widths 2 to 512, 8000 steps, depths 2 and 3,
 * both tasks, 3 seeds) needs about 20 CPU-seconds, 20 to 40 s of wall time on the two shared cores
 * here. The full profile (N = 64 to 2048, widths up to 2048, 30000 steps) ran in 128 s on two
 * otherwise idle cores. There the two-layer networks found no fitting width for N = 2048 (random
 * classes, best training accuracy 0.87 to 0.90) or N = 1024 and 2048 (regression, best loss 0.03 to
 * 0.37) within the budget (above the reference width the learning rate is scaled by 64/m); the
 * three-layer networks fitted every N.
 */
public final class Memorization implements Experiment {
    static final String CLASSIFICATION = "classification";
    static final String REGRESSION = "regression";

    @Override
    public String name() {
        return "memorization";
    }

    @Override
    public String description() {
        return "The smallest ReLU-network width at which SGD fits N random labels, and its growth"
                + " with N";
    }

    @Override
    public List<String> claims() {
        return List.of(
                "A wide enough ReLU network trained by SGD from Gaussian initialization fits random"
                        + " labels perfectly, for every number of examples N tried.",
                "The width needed grows polynomially with N: m_min ~ N^b with a finite positive"
                        + " exponent b.");
    }

    @Override
    public Settings settings(Profile profile) {
        return new Settings()
                .define(
                        "train_sizes",
                        profile,
                        List.of(32, 64, 128, 256),
                        List.of(64, 128, 256, 512, 1024, 2048),
                        "numbers N of training examples")
                .define("dimension", 8, "input dimension d")
                .define("depths", List.of(2, 3), "network depths, counted in weight layers")
                .define(
                        "tasks",
                        CLASSIFICATION + "," + REGRESSION,
                        "comma-separated: classification (random classes), regression (N(0, 1)"
                                + " targets)")
                .define("classes", 2, "classes of the random labels in the classification task")
                .define(
                        "widths",
                        profile,
                        List.of(2, 4, 8, 16, 32, 64, 128, 256, 512),
                        List.of(2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048),
                        "the width grid, searched in increasing order")
                .define("steps", profile, 8000, 30000, "SGD step budget per width")
                .define("batch_size", 16, "examples per SGD step")
                .define(
                        "learning_rate_classification",
                        0.1,
                        "learning rate eta at widths up to reference_width, cross-entropy")
                .define(
                        "learning_rate_regression",
                        0.05,
                        "learning rate eta at widths up to reference_width, squared error")
                .define("reference_width", 64, "m_ref: the learning rate is eta min(1, m_ref / m)")
                .define(
                        "loss_target",
                        0.01,
                        "regression is fitted when the mean squared error is at most this (the"
                                + " targets have variance 1)")
                .define(
                        "parameter_limit",
                        profile,
                        1_000_000,
                        2_000_000,
                        "widths whose network has more parameters than this are not tried")
                .define("log_every", profile, 50, 100, "steps between checks of the target")
                .define("confidence", 0.95, "confidence level of every interval");
    }

    @Override
    public List<RunSpec> runs(Settings settings, List<Long> seeds) {
        List<Integer> sizes = Checks.distinctPositive(settings, "train_sizes", 3);
        List<Integer> depths = Checks.distinctPositive(settings, "depths", 1);
        for (int depth : depths) {
            if (depth < 2) {
                throw new IllegalArgumentException(
                        "setting 'depths' needs depths of at least 2 (one hidden layer), got "
                                + depths);
            }
        }
        Checks.distinctPositive(settings, "widths", 1);
        Checks.positive(settings, "dimension");
        Checks.positive(settings, "steps");
        Checks.positive(settings, "batch_size");
        Checks.positive(settings, "reference_width");
        Checks.positive(settings, "log_every");
        Checks.positive(settings, "parameter_limit");
        Checks.positiveNumber(settings, "learning_rate_classification");
        Checks.positiveNumber(settings, "learning_rate_regression");
        Checks.positiveNumber(settings, "loss_target");
        List<String> tasks = tasks(settings);
        if (tasks.contains(CLASSIFICATION) && settings.integer("classes") < 2) {
            throw new IllegalArgumentException(
                    "setting 'classes' must be at least 2, got " + settings.integer("classes"));
        }
        List<RunSpec> runs = new ArrayList<>();
        for (String task : tasks) {
            for (int depth : depths) {
                for (int size : sizes) {
                    for (long seed : seeds) {
                        Map<String, Object> parameters = new LinkedHashMap<>();
                        parameters.put("task", task);
                        parameters.put("depth", depth);
                        parameters.put("train_size", size);
                        runs.add(
                                new RunSpec(
                                        "task=" + task + "_depth=" + depth + "_n=" + size + "_seed="
                                                + seed,
                                        parameters,
                                        seed));
                    }
                }
            }
        }
        return runs;
    }

    /** The tasks of the setting, checked. */
    static List<String> tasks(Settings settings) {
        List<String> tasks = new ArrayList<>();
        for (String part : settings.text("tasks").split(",")) {
            String task = part.trim().toLowerCase(Locale.ROOT);
            if (!task.equals(CLASSIFICATION) && !task.equals(REGRESSION)) {
                throw new IllegalArgumentException(
                        "setting 'tasks' has unknown task '"
                                + part.trim()
                                + "'; allowed: classification, regression");
            }
            if (!tasks.contains(task)) {
                tasks.add(task);
            }
        }
        return tasks;
    }

    @Override
    public Map<String, Object> execute(RunSpec run, Settings settings) {
        boolean classification = run.text("task").equals(CLASSIFICATION);
        int depth = run.integer("depth");
        int size = run.integer("train_size");
        int dimension = settings.integer("dimension");
        int classes = classification ? settings.integer("classes") : 0;
        RandomStream random = new RandomStream(run.seed());
        Dataset train =
                Synthetic.randomLabels(
                                size,
                                0,
                                dimension,
                                classes,
                                Synthetic.Inputs.GAUSSIAN,
                                random.derive("data", size))
                        .train();
        Loss loss = classification ? Loss.CROSS_ENTROPY : Loss.MSE;
        double baseRate =
                settings.number(
                        classification
                                ? "learning_rate_classification"
                                : "learning_rate_regression");

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("fitted", false);
        row.put("stopped_at_parameter_limit", false);
        int tried = 0;
        double best = classification ? 0 : Double.POSITIVE_INFINITY;
        for (int width : Checks.distinctPositive(settings, "widths", 1)) {
            Sequential model =
                    Mlp.relu(
                            dimension,
                            width,
                            depth,
                            Math.max(classes, 1),
                            Init.he(),
                            random.derive("model", width));
            if (model.parameterCount() > settings.integer("parameter_limit")) {
                row.put("stopped_at_parameter_limit", true);
                break;
            }
            double rate =
                    baseRate * Math.min(1.0, settings.integer("reference_width") / (double) width);
            Trainer.Builder builder =
                    Trainer.builder(model, loss, new Sgd(model.trainableParameters(), rate), train)
                            .batchSize(Math.min(settings.integer("batch_size"), size))
                            .steps(settings.integer("steps"))
                            .logEvery(settings.integer("log_every"))
                            .random(random.derive("batches", width));
            if (classification) {
                builder.stopAtTrainAccuracy(1.0);
            } else {
                builder.stopAtTrainLoss(settings.number("loss_target"));
            }
            TrainingResult result = builder.build().run();
            tried++;
            double achieved =
                    classification ? result.metric("train_accuracy") : result.metric("train_loss");
            if (Double.isFinite(achieved)) {
                best = classification ? Math.max(best, achieved) : Math.min(best, achieved);
            }
            if (result.reachedTarget()) {
                row.put("fitted", true);
                row.put("smallest_width", width);
                row.put("steps_to_fit", result.stepsToTarget());
                row.put("parameters", model.parameterCount());
                break;
            }
        }
        row.put("widths_tried", tried);
        row.put(classification ? "best_train_accuracy" : "best_train_loss", best);
        return row;
    }

    @Override
    public Analysis analyze(List<Map<String, Object>> rows, Settings settings) {
        double confidence = settings.number("confidence");
        List<Verdict> verdicts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Plot.Series> series = new ArrayList<>();
        for (String task : tasks(settings)) {
            for (double depth : Rows.distinct(Rows.where(rows, "task", task), "depth")) {
                List<Map<String, Object>> group =
                        Rows.where(Rows.where(rows, "task", task), "depth", depth);
                String regime = task + ", depth " + (long) depth;
                verdicts.add(fittedVerdict(group, regime, notes));
                verdicts.add(exponentVerdict(group, regime, confidence, notes, series));
            }
        }
        Plot plot =
                new Plot(
                        name() + "-smallest-width",
                        "Smallest width that fits N random labels",
                        "number of examples N",
                        "smallest width m_min",
                        true,
                        true,
                        series);
        return new Analysis(verdicts, List.of(plot), notes);
    }

    private Verdict fittedVerdict(
            List<Map<String, Object>> group, String regime, List<String> notes) {
        List<Map<String, Object>> missed = Rows.where(group, row -> !fitted(row));
        double share = (group.size() - missed.size()) / (double) Math.max(group.size(), 1);
        boolean holds = !group.isEmpty() && missed.isEmpty();
        if (!holds) {
            StringBuilder text =
                    new StringBuilder(regime)
                            .append(": ")
                            .append(missed.size())
                            .append(" of ")
                            .append(group.size())
                            .append(" runs found no width in the grid:");
            for (Map<String, Object> row : missed) {
                text.append(" N = ")
                        .append((long) Rows.number(row, "train_size"))
                        .append(" (seed ")
                        .append(row.get("seed"))
                        .append(", best ")
                        .append(
                                row.containsKey("best_train_accuracy")
                                        ? "accuracy "
                                                + Rows.format(
                                                        Rows.number(row, "best_train_accuracy"))
                                        : "loss "
                                                + Rows.format(Rows.number(row, "best_train_loss")))
                        .append(
                                Boolean.TRUE.equals(row.get("stopped_at_parameter_limit"))
                                        ? ", search stopped at the parameter limit"
                                        : "")
                        .append(")");
            }
            notes.add(text.append('.').toString());
        }
        return new Verdict(
                Checks.inRegime(claims().get(0), regime),
                "share of runs (all N, all seeds) that found a fitting width in the grid",
                share,
                share,
                share,
                holds,
                "holds if every run found one");
    }

    private Verdict exponentVerdict(
            List<Map<String, Object>> group,
            String regime,
            double confidence,
            List<String> notes,
            List<Plot.Series> series) {
        List<Map<String, Object>> found = Rows.where(group, Memorization::fitted);
        double[] sizes = Rows.column(found, "train_size");
        double[] widths = Rows.column(found, "smallest_width");
        String claim = Checks.inRegime(claims().get(1), regime);
        String statistic = "slope of log m_min on log N";
        String criterion = "holds if the t interval is finite and lies above 0";
        series.add(Plot.Series.points(regime, sizes, widths));
        if (Rows.distinct(found, "train_size").length < 2 || found.size() < 3) {
            notes.add(regime + ": too few fitted sizes for an exponent.");
            return new Verdict(
                    claim, statistic, Double.NaN, Double.NaN, Double.NaN, false, criterion);
        }
        Statistics.Estimate slope = Statistics.logLogSlope(sizes, widths, confidence);
        boolean holds =
                Double.isFinite(slope.low()) && Double.isFinite(slope.high()) && slope.above(0);
        double[] grid = Rows.distinct(found, "train_size");
        series.add(
                Plot.Series.line(
                        regime + " fit: N^" + Rows.format(slope.value()),
                        grid,
                        Rows.powerLawFit(sizes, widths, slope.value(), grid)));
        double[] parametersPerExample = new double[found.size()];
        for (int i = 0; i < found.size(); i++) {
            parametersPerExample[i] = Rows.number(found.get(i), "parameters") / sizes[i];
        }
        notes.add(
                regime
                        + ": m_min ~ N^b with b = "
                        + Rows.format(slope)
                        + (holds ? "" : ", not established as positive")
                        + "; at m_min the network has "
                        + Rows.format(Statistics.mean(parametersPerExample))
                        + " parameters per example on average.");
        return new Verdict(
                claim, statistic, slope.value(), slope.low(), slope.high(), holds, criterion);
    }

    private static boolean fitted(Map<String, Object> row) {
        return Boolean.TRUE.equals(row.get("fitted"))
                || "true".equals(String.valueOf(row.get("fitted")));
    }
}
