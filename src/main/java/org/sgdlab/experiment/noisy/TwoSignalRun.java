package org.sgdlab.experiment.noisy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdlab.autograd.NoGrad;
import org.sgdlab.data.GroupedSplit;
import org.sgdlab.data.TwoSignal;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.Settings;
import org.sgdlab.nn.Activation;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Linear;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Module;
import org.sgdlab.nn.PreactivationNoise;
import org.sgdlab.nn.Sequential;
import org.sgdlab.optim.Schedule;
import org.sgdlab.optim.Sgd;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;
import org.sgdlab.train.GradientNoise;
import org.sgdlab.train.Probe;
import org.sgdlab.train.Sampling;
import org.sgdlab.train.Trainer;
import org.sgdlab.train.TrainingResult;

/**
 * One training run of a two-layer ReLU network on the two-signal set, shared by the experiments on
 * the learning rate.
 *
 * <p>The network is f(x) = W2 relu(W1 x + b1) + b2 with a width-m hidden layer, drawn from the
 * initialization scheme; with pre-activation noise a {@link PreactivationNoise} sits between W1 x +
 * b1 and the ReLU. Everything random is derived from the run's seed by purpose, so runs of one seed
 * share the training and test examples (the symbol's norm aside: the examples' draws are the same
 * and only z and delta are scaled), the initial weights and the order of the batches, whatever
 * their learning rate or noise: arms of one seed are paired.
 *
 * <p>At every logged step the run records the training and test accuracy of each group (both,
 * sentence-only, symbol-only, neither), the whole test accuracy, and the share of hidden units
 * silent on symbol inputs: units r with w_r . x + b_r <= 0 for each of x = (0, z), (0, z + delta)
 * and (0, z - delta), so that no symbol-only input reaches the output through them.
 */
final class TwoSignalRun {
    /** The groups of the two-signal set, in index order. */
    static final List<String> GROUPS = TwoSignal.Group.labels();

    private TwoSignalRun() {}

    /**
     * The settings of one run.
     *
     * @param data the distribution's options (p, tau, |z|, |delta|, sentence rule)
     * @param trainSize N
     * @param testSize the number of test examples
     * @param width m, the hidden units
     * @param loss logistic (one output) or cross-entropy (two)
     * @param init the initialization scheme of both layers
     * @param batchSize examples per step, drawn by reshuffling each epoch
     * @param steps the step budget
     * @param learningRate eta_t
     * @param noise sigma_t of the pre-activation noise, or null for none
     * @param updateNoise the isotropic noise on the updates, or null for none
     * @param logPoints the number of evaluations on each of two grids, one geometric from step 1 to
     *     the budget (dense early, where the learning order is decided) and one evenly spaced
     * @param markStep a step at which to record the test errors by group (the end of a phase)
     * @param threshold the training accuracy that marks a group as learned, for the learning order
     */
    record Config(
            TwoSignal.Options data,
            int trainSize,
            int testSize,
            int width,
            Loss loss,
            Init init,
            int batchSize,
            long steps,
            Schedule learningRate,
            Schedule noise,
            UpdateNoise updateNoise,
            int logPoints,
            long markStep,
            double threshold) {}

    /**
     * Isotropic Gaussian noise on every update of the first phase, Langevin-style ({@link
     * Sgd.Options#updateNoise}): p_{t+1} = p_t - eta g_B + sigma sqrt(eta) xi for t < end, with xi
     * ~ N(0, I). Its scale is matched to the noise of SGD at a larger rate eta_large: with v the
     * per-coordinate variance of the batch gradient at initialization ({@link
     * GradientNoise#batchVariance}), a step at rate eta carries gradient noise of variance eta^2 v
     * per coordinate, and
     *
     * <pre>
     * sigma^2 eta = c^2 (eta_large^2 - eta^2) v
     * </pre>
     *
     * so that with c = 1 a step's gradient noise and injected noise together have the variance of a
     * step at eta_large, summed over the coordinates. The injected noise is spread evenly over all
     * D coordinates where SGD's lies in the few directions the per-example gradients span, and it
     * stays constant where SGD's shrinks as the loss falls.
     *
     * @param multiple c, the noise's standard deviation relative to the matched one
     * @param largeRate eta_large, the rate whose per-step noise is matched
     * @param end the first step without noise
     */
    record UpdateNoise(double multiple, double largeRate, long end) {
        /** sigma from the run's rate eta and the batch gradient variance v at initialization. */
        double sigma(double rate, double batchVariance) {
            if (!(largeRate > rate)) {
                throw new IllegalArgumentException(
                        "update noise matched to a larger rate needs eta_large > eta, got "
                                + largeRate
                                + " and "
                                + rate);
            }
            return multiple
                    * Math.sqrt((largeRate * largeRate - rate * rate) * batchVariance / rate);
        }

        /** sigma_t: sigma for t < end, then 0. */
        Schedule schedule(double sigma) {
            return Schedule.until(Schedule.constant(sigma), end);
        }
    }

    /**
     * Declares the settings of the data, the network and the training that the experiments on the
     * two-signal set share.
     */
    static Settings defineShared(Settings settings, Profile profile) {
        return settings.define("dimension", 50, "p, the dimension of each signal")
                .define(
                        "missingProbability",
                        0.2,
                        "tau, the probability that each signal is missing from an example")
                .define(
                        "trainSize",
                        250,
                        "N, the training examples (the theory takes N about p / tau)")
                .define("testSize", profile, 2000, 10000, "test examples")
                .define("offsetRatio", 0.3, "|delta| / |z|, the symbol's offset relative to it")
                .define(
                        "sentence",
                        "halfspace",
                        "how x1 labels: halfspace (y = 1{w . x1 >= 0}) or teacher (a tanh"
                                + " network of teacherUnits units)")
                .define("teacherUnits", 4, "k, the units of the sentence teacher when chosen")
                .define("width", 512, "m, the hidden units of the two-layer ReLU network")
                .define("loss", "logistic", "logistic (one output) or cross-entropy (two)")
                .define("init", "he", "the initialization of both layers: he, lecun, ntk")
                .define("batchSize", 8, "examples per SGD step")
                .define(
                        "logPoints",
                        30,
                        "evaluations on each of two grids of steps, a geometric and an even one")
                .define(
                        "orderThreshold",
                        0.9,
                        "the training accuracy at which a group counts as learned");
    }

    /**
     * The configuration of a run from the shared settings, for a symbol strength s (|z| = s
     * sqrt(p), |delta| = offsetRatio |z|), a step budget, a learning rate and an optional noise
     * schedule.
     */
    static Config config(
            Settings settings,
            double symbolStrength,
            long steps,
            Schedule learningRate,
            Schedule noise,
            UpdateNoise updateNoise,
            long markStep) {
        int dimension = settings.integer("dimension");
        double symbolNorm = symbolStrength * Math.sqrt(dimension);
        TwoSignal.Options data =
                new TwoSignal.Options()
                        .dimension(dimension)
                        .missingProbability(settings.number("missingProbability"))
                        .symbolNorm(symbolNorm)
                        .symbolOffsetNorm(settings.number("offsetRatio") * symbolNorm)
                        .sentence(
                                TwoSignal.SentenceLabel.parse(settings.text("sentence")),
                                settings.integer("teacherUnits"));
        return new Config(
                data,
                positive(settings, "trainSize"),
                positive(settings, "testSize"),
                positive(settings, "width"),
                Loss.parse(settings.text("loss")),
                Init.parse(settings.text("init")),
                positive(settings, "batchSize"),
                steps,
                learningRate,
                noise,
                updateNoise,
                positive(settings, "logPoints"),
                markStep,
                settings.number("orderThreshold"));
    }

    /** An integer setting checked to be positive. */
    static int positive(Settings settings, String key) {
        int value = settings.integer(key);
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
        return value;
    }

    /**
     * Trains one network and returns the measurements: {@code test_error}, {@code train_error},
     * {@code train_error_fittable} (over the groups other than {@code neither}, whose inputs are
     * all x = 0 with coin-flip labels and cannot be fitted), {@code test_share_G} (the share of
     * test examples in group G), {@code test_error_G} and {@code train_error_G} for each group G,
     * {@code mark_test_error}, {@code mark_test_error_G} and {@code mark_train_error_G} and {@code
     * mark_train_error_fittable} at the mark step, {@code order_step_G} (the first logged step at
     * which the training accuracy of G reaches the threshold, or the budget when it never does,
     * then {@code order_reached_G} is false), {@code learned_step_G} (the first logged step at
     * which the training accuracy of G is at or above the threshold there and at the next
     * evaluation, or the budget, then {@code learned_G} is false: a small group of inputs of large
     * norm can swing between all right and all wrong in the first steps and touch the threshold by
     * chance for one evaluation), {@code silent_symbol_units} at the end and {@code
     * silent_symbol_units_init}, with update noise {@code update_noise_sigma} and {@code
     * batch_gradient_variance_init} (v at initialization), and the curves {@code curve_step},
     * {@code curve_train_G}, {@code curve_test_G}, {@code curve_test} and {@code curve_silent} as
     * text cells (see {@link Curves}).
     */
    static Map<String, Object> execute(Config config, long seed) {
        RandomStream root = new RandomStream(seed);
        TwoSignal source = new TwoSignal(config.data(), root.derive("two-signal"));
        GroupedSplit data =
                source.split(config.trainSize(), config.testSize(), root.derive("examples"));
        int inputs = 2 * config.data().dimension();
        RandomStream init = root.derive("init");
        Linear hidden =
                new Linear(inputs, config.width(), true, config.init(), init.derive("layer", 0));
        int outputs = config.loss().outputsFor(2);
        Linear output =
                new Linear(config.width(), outputs, true, config.init(), init.derive("layer", 1));
        List<Module> layers = new ArrayList<>();
        layers.add(hidden);
        if (config.noise() != null) {
            layers.add(new PreactivationNoise(config.noise()::at, root.derive("preactivation")));
        }
        layers.add(Activation.relu());
        layers.add(output);
        Sequential model = new Sequential(layers);
        Sgd.Options options = Sgd.options().learningRate(config.learningRate());
        double batchVariance = 0;
        double updateSigma = 0;
        if (config.updateNoise() != null) {
            batchVariance =
                    GradientNoise.batchVariance(
                            model, config.loss(), data.train(), config.batchSize());
            updateSigma = config.updateNoise().sigma(config.learningRate().at(0), batchVariance);
            options.updateNoise(
                    config.updateNoise().schedule(updateSigma), root.derive("update-noise"));
        }
        Sgd optimizer = new Sgd(model.parameters(), options);
        Tensor symbols = source.symbolInputs();
        double silentAtInit = silentShare(hidden, symbols);

        GroupAccuracy groups = new GroupAccuracy(data, config.loss());
        Probe silent = m -> Map.of("silent_symbol_units", silentShare(hidden, symbols));
        StepRecorder recorder =
                new StepRecorder(
                        model,
                        List.of(groups, silent),
                        StepRecorder.logSteps(
                                config.steps(), config.logPoints(), config.markStep()));
        TrainingResult result =
                Trainer.builder(model, config.loss(), optimizer, data.train())
                        .batchSize(config.batchSize())
                        .sampling(Sampling.SHUFFLE)
                        .random(root.derive("batches"))
                        .steps(config.steps())
                        .logEvery(config.steps())
                        .listener(recorder)
                        .build()
                        .run();
        recorder.finish(result.steps());
        Map<String, Object> row =
                measurements(config, data, recorder.history(), result, silentAtInit);
        if (config.updateNoise() != null) {
            row.put("batch_gradient_variance_init", batchVariance);
            row.put("update_noise_sigma", updateSigma);
        }
        return row;
    }

    private static Map<String, Object> measurements(
            Config config,
            GroupedSplit data,
            List<Map<String, Double>> history,
            TrainingResult result,
            double silentAtInit) {
        Map<String, Double> last = history.get(history.size() - 1);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("diverged", result.diverged());
        row.put("test_error", 1 - last.get("test_accuracy"));
        row.put("train_error", 1 - last.get("train_accuracy"));
        row.put("final_learning_rate", config.learningRate().at(config.steps() - 1));
        int[] trainCounts = data.counts(true);
        int[] testCounts = data.counts(false);
        for (int g = 0; g < GROUPS.size(); g++) {
            row.put("test_share_" + GROUPS.get(g), testCounts[g] / (double) data.test().size());
        }
        row.put("train_error_fittable", fittableError(last, trainCounts));
        for (String group : GROUPS) {
            row.put("test_error_" + group, 1 - last.get("test_accuracy_" + group));
            row.put("train_error_" + group, 1 - last.get("train_accuracy_" + group));
        }
        Map<String, Double> mark = last;
        for (Map<String, Double> logged : history) {
            if (logged.get("step") == config.markStep()) {
                mark = logged;
            }
        }
        for (String group : GROUPS) {
            row.put("mark_test_error_" + group, 1 - mark.get("test_accuracy_" + group));
            row.put("mark_train_error_" + group, 1 - mark.get("train_accuracy_" + group));
        }
        row.put("mark_test_error", 1 - mark.get("test_accuracy"));
        row.put("mark_train_error_fittable", fittableError(mark, trainCounts));
        for (String group : GROUPS) {
            long reached = -1;
            for (Map<String, Double> logged : history) {
                if (logged.get("train_accuracy_" + group) >= config.threshold()) {
                    reached = logged.get("step").longValue();
                    break;
                }
            }
            row.put("order_step_" + group, reached >= 0 ? reached : config.steps());
            row.put("order_reached_" + group, reached >= 0);
            long held = -1;
            for (int i = 0; i + 1 < history.size() && held < 0; i++) {
                if (history.get(i).get("train_accuracy_" + group) >= config.threshold()
                        && history.get(i + 1).get("train_accuracy_" + group)
                                >= config.threshold()) {
                    held = history.get(i).get("step").longValue();
                }
            }
            row.put("learned_step_" + group, held >= 0 ? held : config.steps());
            row.put("learned_" + group, held >= 0);
        }
        row.put("silent_symbol_units", last.get("silent_symbol_units"));
        row.put("silent_symbol_units_init", silentAtInit);
        row.put("curve_step", Curves.encode(column(history, "step")));
        for (String group : GROUPS) {
            row.put(
                    "curve_train_" + group,
                    Curves.encode(column(history, "train_accuracy_" + group)));
            row.put(
                    "curve_test_" + group,
                    Curves.encode(column(history, "test_accuracy_" + group)));
        }
        row.put("curve_test", Curves.encode(column(history, "test_accuracy")));
        row.put("curve_silent", Curves.encode(column(history, "silent_symbol_units")));
        return row;
    }

    /** The training error over the groups other than {@code neither}, from a logged row. */
    private static double fittableError(Map<String, Double> logged, int[] trainCounts) {
        int fittable = 0;
        double errors = 0;
        for (int g = 0; g < GROUPS.size(); g++) {
            String group = GROUPS.get(g);
            if (!group.equals(TwoSignal.Group.NEITHER.label())) {
                fittable += trainCounts[g];
                errors += trainCounts[g] * (1 - logged.get("train_accuracy_" + group));
            }
        }
        return fittable == 0 ? 0 : errors / fittable;
    }

    private static List<Double> column(List<Map<String, Double>> history, String key) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Double> row : history) {
            values.add(row.get(key));
        }
        return values;
    }

    /** The share of hidden units r with w_r . x + b_r <= 0 on every one of the inputs. */
    static double silentShare(Linear hidden, Tensor inputs) {
        try (NoGrad ignored = NoGrad.enter()) {
            float[] preactivations = hidden.forward(inputs).data();
            int width = hidden.outputs();
            int silent = 0;
            for (int r = 0; r < width; r++) {
                boolean fires = false;
                for (int i = 0; i < inputs.rows(); i++) {
                    fires |= preactivations[i * width + r] > 0;
                }
                silent += fires ? 0 : 1;
            }
            return silent / (double) width;
        }
    }
}
