package org.sgdlab.experiment.overparam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sgdlab.data.Split;
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
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.train.Trainer;
import org.sgdlab.train.TrainingResult;

/**
 * Over-parameterized ReLU students of smooth teachers generalize: the generalization gap falls as
 * the number of examples N grows and does not grow with the width m, while random labels on the
 * same inputs leave a large gap (Allen-Zhu, Li and Liang, 2019; Arora, Du, Hu, Li and Wang, 2019).
 *
 * <p>Data: inputs uniform on the unit sphere in d dimensions, drawn once per seed. Teacher labels
 * come from {@link Synthetic#teacher}: f*(x) = (1/sqrt(k)) sum_j a_j sigma(sqrt(d) v_j . x) with k
 * hidden units and a smooth activation sigma (sin by default), standardized to mean 0 and variance
 * 1; random labels are N(0, 1) draws on the same inputs. A test set of {@code test_size} examples
 * comes from the same distribution.
 *
 * <p>Student: the two-layer network of Du et al. and Arora et al., f(x) = (1/sqrt(m)) sum_r a_r
 * relu(w_r . x), w_r(0) ~ N(0, I) trained, a_r = +1 or -1 frozen ({@link Mlp#twoLayerFixedOutput}).
 * Its tangent kernel does not grow with m, so one step size serves every width. Training: minibatch
 * SGD for a fixed number of steps; each step is Du et al.'s gradient step of size eta on the
 * batch's (1/2) sum (f - y)^2, which is the trainer's mean squared error with learning rate eta B /
 * 2 for batches of B. Losses are mean squared errors without the 1/2; the generalization gap is
 * test loss minus training loss. The widths should keep every student over-parameterized, m d at
 * least the largest N, as in the theory.
 *
 * <p>Verdicts, at 95 %:
 *
 * <ol>
 *   <li>the slope of the gap on log N over all teacher runs (all widths, all seeds), with its t
 *       interval: holds if the interval lies below 0;
 *   <li>for each N, the slope of the gap on log m over the teacher runs of that N: holds if the
 *       lower end of its t interval is at most 0, that is unless a growing gap is established;
 *   <li>at N = {@code random_label_size} and m = {@code random_label_width}, the mean over seeds of
 *       (gap with random labels - gap with teacher labels), paired by seed: holds if the lower end
 *       of its t interval is above 0.
 * </ol>
 *
 * <p>Cost: the quick profile (d = 10, N = 64 to 512, widths 2^6 to 2^11, 4000 steps, 3 seeds) needs
 * about 45 CPU-seconds, 30 to 45 s of wall time on the two shared cores here. The full profile (N =
 * 128 to 2048, widths 2^8 to 2^13, 20000 steps) ran in 270 s on two otherwise idle cores, every
 * verdict holding.
 */
public final class TeacherStudent implements Experiment {
    static final String TEACHER = "teacher";
    static final String RANDOM = "random";

    @Override
    public String name() {
        return "teacher-student";
    }

    @Override
    public String description() {
        return "Wide ReLU students of a smooth teacher: the generalization gap against N, width,"
                + " and random labels";
    }

    @Override
    public List<String> claims() {
        return List.of(
                "The generalization gap of an over-parameterized student of a smooth teacher"
                        + " falls as the number of examples N grows.",
                "At fixed N the generalization gap does not grow with the width m.",
                "Random labels on the same inputs leave a larger generalization gap than the"
                        + " teacher's labels.");
    }

    @Override
    public Settings settings(Profile profile) {
        return new Settings()
                .define(
                        "train_sizes",
                        profile,
                        List.of(64, 128, 256, 512),
                        List.of(128, 256, 512, 1024, 2048),
                        "numbers N of training examples")
                .define(
                        "widths",
                        profile,
                        List.of(64, 128, 256, 512, 1024, 2048),
                        List.of(256, 512, 1024, 2048, 4096, 8192),
                        "student widths m")
                .define("dimension", 10, "input dimension d; inputs on the unit sphere")
                .define("teacher_units", 4, "hidden units k of the teacher")
                .define(
                        "teacher_activation",
                        "sin",
                        "the teacher's activation: sin, cos, exp, tanh, sigmoid, square, cube")
                .define("test_size", profile, 1000, 2000, "test examples")
                .define("steps", profile, 4000, 20000, "SGD steps")
                .define("batch_size", 32, "examples per SGD step, B")
                .define(
                        "step_size",
                        0.25,
                        "eta on the batch's (1/2) sum (f - y)^2; the trainer's learning rate is"
                                + " eta B / 2")
                .define(
                        "random_label_size",
                        profile,
                        256,
                        512,
                        "N of the random-label comparison, one of train_sizes")
                .define(
                        "random_label_width",
                        profile,
                        256,
                        1024,
                        "m of the random-label comparison, one of widths")
                .define("confidence", 0.95, "confidence level of every interval");
    }

    @Override
    public List<RunSpec> runs(Settings settings, List<Long> seeds) {
        List<Integer> sizes = Checks.distinctPositive(settings, "train_sizes", 3);
        List<Integer> widths = Checks.distinctPositive(settings, "widths", 3);
        Checks.positive(settings, "dimension");
        Checks.positive(settings, "teacher_units");
        Checks.positive(settings, "test_size");
        Checks.positive(settings, "steps");
        Checks.positive(settings, "batch_size");
        Checks.positiveNumber(settings, "step_size");
        Synthetic.activation(settings.text("teacher_activation"));
        int randomSize = settings.integer("random_label_size");
        int randomWidth = settings.integer("random_label_width");
        if (!sizes.contains(randomSize) || !widths.contains(randomWidth)) {
            throw new IllegalArgumentException(
                    "settings 'random_label_size' and 'random_label_width' must be among"
                            + " train_sizes "
                            + sizes
                            + " and widths "
                            + widths
                            + ", got "
                            + randomSize
                            + " and "
                            + randomWidth);
        }
        List<RunSpec> runs = new ArrayList<>();
        for (long seed : seeds) {
            for (int size : sizes) {
                for (int width : widths) {
                    runs.add(run(TEACHER, size, width, seed));
                }
            }
            runs.add(run(RANDOM, randomSize, randomWidth, seed));
        }
        return runs;
    }

    private static RunSpec run(String labels, int size, int width, long seed) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("labels", labels);
        parameters.put("train_size", size);
        parameters.put("width", width);
        return new RunSpec(
                "labels=" + labels + "_n=" + size + "_m=" + width + "_seed=" + seed,
                parameters,
                seed);
    }

    @Override
    public Map<String, Object> execute(RunSpec run, Settings settings) {
        int size = run.integer("train_size");
        int width = run.integer("width");
        int dimension = settings.integer("dimension");
        int testSize = settings.integer("test_size");
        RandomStream random = new RandomStream(run.seed());
        RandomStream data = random.derive("data", size);
        Split split =
                run.text("labels").equals(RANDOM)
                        ? Synthetic.randomLabels(
                                size, testSize, dimension, 0, Synthetic.Inputs.SPHERE, data)
                        : Synthetic.teacher(
                                size,
                                testSize,
                                dimension,
                                settings.integer("teacher_units"),
                                settings.text("teacher_activation"),
                                0,
                                0,
                                Synthetic.Inputs.SPHERE,
                                data);
        Sequential model = Mlp.twoLayerFixedOutput(dimension, width, random.derive("model"));
        int batch = Math.min(settings.integer("batch_size"), size);
        double learningRate = settings.number("step_size") * batch / 2;
        long steps = settings.integer("steps");
        TrainingResult result =
                Trainer.builder(
                                model,
                                Loss.MSE,
                                new Sgd(model.trainableParameters(), learningRate),
                                split.train())
                        .test(split.test())
                        .batchSize(batch)
                        .steps(steps)
                        .logEvery(steps)
                        .random(random.derive("batches"))
                        .build()
                        .run();

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        row.put("train_loss", result.metric("train_loss"));
        row.put("test_loss", result.metric("test_loss"));
        row.put("gap", result.metric("test_loss") - result.metric("train_loss"));
        return row;
    }

    @Override
    public Analysis analyze(List<Map<String, Object>> rows, Settings settings) {
        double confidence = settings.number("confidence");
        List<Map<String, Object>> teacher =
                Rows.where(
                        Rows.where(rows, "labels", TEACHER),
                        row -> Double.isFinite(Rows.number(row, "gap")));
        List<Verdict> verdicts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int dropped = Rows.where(rows, row -> !Double.isFinite(Rows.number(row, "gap"))).size();
        if (dropped > 0) {
            notes.add(dropped + " runs diverged and are left out; lower step_size.");
        }

        verdicts.add(sizeVerdict(teacher, confidence, notes));
        double[] sizes = Rows.distinct(teacher, "train_size");
        for (double size : sizes) {
            verdicts.add(
                    widthVerdict(Rows.where(teacher, "train_size", size), size, confidence, notes));
        }
        verdicts.add(randomLabelVerdict(rows, settings, confidence, notes));

        double[] widths = Rows.distinct(teacher, "width");
        List<Plot.Series> bySize = new ArrayList<>();
        for (double width : widths) {
            bySize.add(
                    Plot.Series.line(
                            "m = " + (long) width,
                            sizes,
                            Rows.groupMeans(
                                    Rows.where(teacher, "width", width),
                                    "train_size",
                                    sizes,
                                    "gap")));
        }
        List<Plot.Series> byWidth = new ArrayList<>();
        for (double size : sizes) {
            double[][] band =
                    Rows.groupIntervals(
                            Rows.where(teacher, "train_size", size),
                            "width",
                            widths,
                            "gap",
                            confidence);
            byWidth.add(Plot.Series.band("N = " + (long) size, widths, band[0], band[1], band[2]));
        }
        List<Plot> plots =
                List.of(
                        new Plot(
                                name() + "-gap-by-size",
                                "Generalization gap against N, teacher labels (mean over seeds)",
                                "number of examples N",
                                "test loss - training loss",
                                true,
                                false,
                                bySize),
                        new Plot(
                                name() + "-gap-by-width",
                                "Generalization gap against width, teacher labels",
                                "width m",
                                "test loss - training loss",
                                true,
                                false,
                                byWidth),
                        labelPlot(rows, settings));
        return new Analysis(verdicts, plots, notes);
    }

    private Verdict sizeVerdict(
            List<Map<String, Object>> teacher, double confidence, List<String> notes) {
        double[] logSizes = Rows.column(teacher, "train_size");
        for (int i = 0; i < logSizes.length; i++) {
            logSizes[i] = Math.log(logSizes[i]);
        }
        String statistic = "slope of the gap on log N (all widths and seeds)";
        String criterion = "holds if the whole t interval lies below 0";
        if (Rows.distinct(teacher, "train_size").length < 2 || teacher.size() < 3) {
            return new Verdict(
                    claims().get(0),
                    statistic,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    false,
                    criterion);
        }
        Statistics.Estimate slope =
                Statistics.slope(logSizes, Rows.column(teacher, "gap"), confidence);
        double[] sizes = Rows.distinct(teacher, "train_size");
        double[] gaps = Rows.groupMeans(teacher, "train_size", sizes, "gap");
        notes.add(
                "Teacher labels: the gap goes from "
                        + Rows.format(gaps[0])
                        + " at N = "
                        + (long) sizes[0]
                        + " to "
                        + Rows.format(gaps[gaps.length - 1])
                        + " at N = "
                        + (long) sizes[sizes.length - 1]
                        + " (mean over widths and seeds); slope per unit of log N "
                        + Rows.format(slope)
                        + ".");
        return new Verdict(
                claims().get(0),
                statistic,
                slope.value(),
                slope.low(),
                slope.high(),
                slope.below(0),
                criterion);
    }

    private Verdict widthVerdict(
            List<Map<String, Object>> group, double size, double confidence, List<String> notes) {
        String claim = Checks.inRegime(claims().get(1), "N = " + (long) size);
        String statistic = "slope of the gap on log m at N = " + (long) size;
        String criterion =
                "holds if the lower end of the t interval is at most 0 (a growing gap is not"
                        + " established)";
        if (Rows.distinct(group, "width").length < 2 || group.size() < 3) {
            return new Verdict(
                    claim, statistic, Double.NaN, Double.NaN, Double.NaN, false, criterion);
        }
        double[] logWidths = Rows.column(group, "width");
        for (int i = 0; i < logWidths.length; i++) {
            logWidths[i] = Math.log(logWidths[i]);
        }
        Statistics.Estimate slope =
                Statistics.slope(logWidths, Rows.column(group, "gap"), confidence);
        boolean holds = slope.low() <= 0;
        if (!holds) {
            double[] widths = Rows.distinct(group, "width");
            double[] gaps = Rows.groupMeans(group, "width", widths, "gap");
            notes.add(
                    "At N = "
                            + (long) size
                            + " the gap grows with width, from "
                            + Rows.format(gaps[0])
                            + " at m = "
                            + (long) widths[0]
                            + " to "
                            + Rows.format(gaps[gaps.length - 1])
                            + " at m = "
                            + (long) widths[widths.length - 1]
                            + "; slope "
                            + Rows.format(slope)
                            + ".");
        }
        return new Verdict(
                claim, statistic, slope.value(), slope.low(), slope.high(), holds, criterion);
    }

    private Verdict randomLabelVerdict(
            List<Map<String, Object>> rows,
            Settings settings,
            double confidence,
            List<String> notes) {
        int size = settings.integer("random_label_size");
        int width = settings.integer("random_label_width");
        List<Map<String, Object>> random = Rows.where(rows, "labels", RANDOM);
        List<Double> randomGaps = new ArrayList<>();
        List<Double> teacherGaps = new ArrayList<>();
        for (Map<String, Object> row : random) {
            Object seed = row.get("seed");
            List<Map<String, Object>> partner =
                    Rows.where(
                            rows,
                            other ->
                                    TEACHER.equals(other.get("labels"))
                                            && String.valueOf(seed)
                                                    .equals(String.valueOf(other.get("seed")))
                                            && Rows.number(other, "train_size") == size
                                            && Rows.number(other, "width") == width);
            if (!partner.isEmpty()) {
                randomGaps.add(Rows.number(row, "gap"));
                teacherGaps.add(Rows.number(partner.get(0), "gap"));
            }
        }
        String statistic =
                "mean paired difference of gaps, random minus teacher labels, at N = "
                        + size
                        + ", m = "
                        + width;
        String criterion = "holds if the lower end of the t interval is above 0";
        if (randomGaps.size() < 2) {
            return new Verdict(
                    claims().get(2),
                    statistic,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    false,
                    criterion);
        }
        double[] a = randomGaps.stream().mapToDouble(Double::doubleValue).toArray();
        double[] b = teacherGaps.stream().mapToDouble(Double::doubleValue).toArray();
        Statistics.Estimate difference = Statistics.pairedDifference(a, b, confidence);
        notes.add(
                "At N = "
                        + size
                        + ", m = "
                        + width
                        + " the gap is "
                        + Rows.format(Statistics.mean(a))
                        + " with random labels (training loss "
                        + Rows.format(Statistics.mean(Rows.column(random, "train_loss")))
                        + ") and "
                        + Rows.format(Statistics.mean(b))
                        + " with the teacher's; paired difference "
                        + Rows.format(difference)
                        + ".");
        return new Verdict(
                claims().get(2),
                statistic,
                difference.value(),
                difference.low(),
                difference.high(),
                difference.above(0),
                criterion);
    }

    private Plot labelPlot(List<Map<String, Object>> rows, Settings settings) {
        int size = settings.integer("random_label_size");
        int width = settings.integer("random_label_width");
        List<Plot.Series> series = new ArrayList<>();
        for (String labels : List.of(TEACHER, RANDOM)) {
            List<Map<String, Object>> group =
                    Rows.where(
                            Rows.where(rows, "labels", labels),
                            row ->
                                    Rows.number(row, "train_size") == size
                                            && Rows.number(row, "width") == width);
            series.add(
                    Plot.Series.points(
                            labels + " labels",
                            Rows.column(group, "seed"),
                            Rows.column(group, "gap")));
        }
        return new Plot(
                name() + "-random-labels",
                "Generalization gap by seed at N = " + size + ", m = " + width,
                "seed",
                "test loss - training loss",
                false,
                false,
                series);
    }
}
