package org.sgdlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sgdlab.data.Split;
import org.sgdlab.data.Synthetic;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Mlp;
import org.sgdlab.nn.Sequential;
import org.sgdlab.optim.Schedule;
import org.sgdlab.optim.Sgd;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.train.RunFiles;
import org.sgdlab.train.Sampling;
import org.sgdlab.train.Trainer;
import org.sgdlab.train.TrainingResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sgdlab train}: one training run of a ReLU MLP, written to a directory. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description =
                "Train one ReLU MLP with SGD and write metrics.csv, summary.json and"
                        + " provenance.json to --out.")
final class TrainCommand implements Callable<Integer> {
    @Option(
            names = "--dataset",
            defaultValue = "random-labels",
            description = "Data set: random-labels, teacher or mixture.")
    String dataset;

    @Option(names = "--input-dim", defaultValue = "32", description = "Input dimension d.")
    int inputDim;

    @Option(
            names = "--inputs",
            defaultValue = "gaussian",
            description = "Input distribution of synthetic sets: gaussian or sphere.")
    String inputs;

    @Option(
            names = "--classes",
            defaultValue = "10",
            description = "Number of classes; 0 for regression targets.")
    int classes;

    @Option(names = "--n-train", defaultValue = "256", description = "Training examples.")
    int trainSize;

    @Option(names = "--n-test", defaultValue = "256", description = "Test examples (0 for none).")
    int testSize;

    @Option(
            names = "--teacher-units",
            defaultValue = "4",
            description = "Hidden units of the teacher network (teacher data set).")
    int teacherUnits;

    @Option(
            names = "--teacher-activation",
            defaultValue = "tanh",
            description = "Teacher activation: sin, cos, exp, tanh, sigmoid, square, cube, relu.")
    String teacherActivation;

    @Option(
            names = "--depth",
            defaultValue = "2",
            description = "Weight layers; depth 2 is one hidden layer.")
    int depth;

    @Option(names = "--width", defaultValue = "1024", description = "Hidden units per layer.")
    int width;

    @Option(
            names = "--init",
            defaultValue = "he",
            description = "Initialization: he, lecun, ntk, gaussian:STD.")
    String init;

    @Option(
            names = "--loss",
            defaultValue = "cross-entropy",
            description = "Loss: mse, cross-entropy, logistic.")
    String loss;

    @Option(names = "--lr", defaultValue = "0.05", description = "Learning rate.")
    double learningRate;

    @Option(
            names = "--schedule",
            defaultValue = "constant",
            description =
                    "Learning-rate schedule in optimizer steps: constant, drop:STEP:FACTOR,"
                            + " step:STEP:FACTOR[,STEP:FACTOR]..., cosine:TOTAL.")
    String schedule;

    @Option(names = "--momentum", defaultValue = "0", description = "Momentum (PyTorch form).")
    double momentum;

    @Option(names = "--nesterov", description = "Use Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay.")
    double weightDecay;

    @Option(names = "--batch-size", defaultValue = "16", description = "Examples per step.")
    int batchSize;

    @Option(
            names = "--sampling",
            defaultValue = "shuffle",
            description = "shuffle (epochs over a fresh permutation) or replacement.")
    String sampling;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Budget budget = new Budget();

    static final class Budget {
        @Option(names = "--epochs", description = "Budget in passes over the data (default 30).")
        Long epochs;

        @Option(names = "--steps", description = "Budget in optimizer steps.")
        Long steps;
    }

    @Option(
            names = "--log-every",
            description = "Evaluate and log every this many steps (default: 100 rows per run).")
    Long logEvery;

    @Option(
            names = "--stop-at-accuracy",
            description = "Stop once training accuracy reaches this value, e.g. 1.0.")
    Double stopAtAccuracy;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random stream.")
    long seed;

    @Option(names = "--out", required = true, description = "Directory for the run's files.")
    Path out;

    @Option(names = "--quiet", description = "No progress bar and no final line.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        validate();
        RandomStream root = new RandomStream(seed);
        Loss lossFunction = Loss.parse(loss);
        Split split = data(root.derive("data"));
        int outputs =
                split.train().classes() == 0
                        ? split.train().outputDim()
                        : lossFunction.outputsFor(split.train().classes());
        Sequential model =
                Mlp.relu(
                        split.train().inputDim(),
                        width,
                        depth,
                        outputs,
                        Init.parse(init),
                        root.derive("init"));
        Sgd optimizer =
                new Sgd(
                        model.parameters(),
                        Sgd.options()
                                .learningRate(Schedule.parse(schedule, learningRate))
                                .momentum(momentum)
                                .nesterov(nesterov)
                                .weightDecay(weightDecay));

        Trainer.Builder builder =
                Trainer.builder(model, lossFunction, optimizer, split.train())
                        .batchSize(batchSize)
                        .sampling(Sampling.valueOf(sampling.toUpperCase(Locale.ROOT)))
                        .random(root.derive("batches"));
        if (split.test().size() > 0) {
            builder.test(split.test());
        }
        if (budget.steps != null) {
            builder.steps(budget.steps);
        } else {
            builder.epochs(budget.epochs == null ? 30 : budget.epochs);
        }
        if (logEvery != null) {
            builder.logEvery(logEvery);
        }
        if (stopAtAccuracy != null) {
            builder.stopAtTrainAccuracy(stopAtAccuracy);
        }
        if (Progress.enabled(quiet)) {
            builder.listener(new Progress.Training("train"));
        }
        TrainingResult result = builder.build().run();

        RunFiles.write(out, result, seed, configuration());
        if (!quiet) {
            System.out.println(summaryLine(result));
        }
        return 0;
    }

    private Split data(RandomStream random) {
        Synthetic.Inputs distribution = Synthetic.Inputs.parse(inputs);
        switch (dataset) {
            case "random-labels":
                return Synthetic.randomLabels(
                        trainSize, testSize, inputDim, classes, distribution, random);
            case "teacher":
                return Synthetic.teacher(
                        trainSize,
                        testSize,
                        inputDim,
                        teacherUnits,
                        teacherActivation,
                        classes,
                        0,
                        distribution,
                        random);
            case "mixture":
                return Synthetic.mixture(
                        trainSize, testSize, inputDim, classes, 2, 0.2, 0.5, random);
            default:
                throw new UserError(
                        "unknown --dataset '"
                                + dataset
                                + "'; allowed: random-labels, teacher, mixture");
        }
    }

    private void validate() {
        positive("--input-dim", inputDim);
        positive("--n-train", trainSize);
        positive("--depth", depth);
        positive("--width", width);
        positive("--batch-size", batchSize);
        if (testSize < 0) {
            throw new UserError("--n-test must be 0 or more, got " + testSize);
        }
        if (classes < 0 || classes == 1) {
            throw new UserError("--classes must be 0 (regression) or at least 2, got " + classes);
        }
        if (batchSize > trainSize) {
            throw new UserError(
                    "--batch-size must be at most --n-train (" + trainSize + "), got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new UserError("--lr must be a positive number, got " + learningRate);
        }
        if (!sampling.equals("shuffle") && !sampling.equals("replacement")) {
            throw new UserError(
                    "--sampling must be shuffle or replacement, got '" + sampling + "'");
        }
        if (classes == 0 && !loss.equals("mse")) {
            throw new UserError("regression (--classes 0) needs --loss mse, got '" + loss + "'");
        }
        if (budget.epochs != null) {
            positive("--epochs", budget.epochs);
        }
        if (budget.steps != null) {
            positive("--steps", budget.steps);
        }
        if (logEvery != null) {
            positive("--log-every", logEvery);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("--out " + out + " exists and is not a directory");
        }
        Init.parse(init);
        Loss.parse(loss);
        Synthetic.Inputs.parse(inputs);
        Schedule.parse(schedule, learningRate);
        if (dataset.equals("teacher")) {
            Synthetic.activation(teacherActivation);
        }
    }

    private static void positive(String option, long value) {
        if (value <= 0) {
            throw new UserError(option + " must be positive, got " + value);
        }
    }

    private Map<String, Object> configuration() {
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("dataset", dataset);
        configuration.put("input_dim", inputDim);
        configuration.put("inputs", inputs);
        configuration.put("classes", classes);
        configuration.put("n_train", trainSize);
        configuration.put("n_test", testSize);
        if (dataset.equals("teacher")) {
            configuration.put("teacher_units", teacherUnits);
            configuration.put("teacher_activation", teacherActivation);
        }
        configuration.put("depth", depth);
        configuration.put("width", width);
        configuration.put("init", init);
        configuration.put("loss", loss);
        configuration.put("lr", learningRate);
        configuration.put("schedule", schedule);
        configuration.put("momentum", momentum);
        configuration.put("nesterov", nesterov);
        configuration.put("weight_decay", weightDecay);
        configuration.put("batch_size", batchSize);
        configuration.put("sampling", sampling);
        configuration.put("epochs", budget.epochs);
        configuration.put("steps", budget.steps);
        configuration.put("log_every", logEvery);
        configuration.put("stop_at_accuracy", stopAtAccuracy);
        return configuration;
    }

    private String summaryLine(TrainingResult result) {
        StringBuilder line =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "%s after %d steps: train loss %.4g, train accuracy %.4f",
                                result.outcome().name().toLowerCase(Locale.ROOT),
                                result.steps(),
                                result.metric("train_loss"),
                                result.metric("train_accuracy")));
        if (result.finalMetrics().containsKey("test_accuracy")) {
            line.append(
                    String.format(
                            Locale.ROOT, ", test accuracy %.4f", result.metric("test_accuracy")));
        }
        if (result.diverged()) {
            line.append(", diverged at step ").append(result.divergedAt());
        }
        line.append(String.format(Locale.ROOT, " (%.1f s) -> %s", result.wallSeconds(), out));
        return line.toString();
    }
}
