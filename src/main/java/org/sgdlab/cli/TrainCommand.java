package org.sgdlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sgdlab.data.AtomicFiles;
import org.sgdlab.data.CsvReader;
import org.sgdlab.data.Dataset;
import org.sgdlab.data.FashionMnist;
import org.sgdlab.data.NpyReader;
import org.sgdlab.data.Split;
import org.sgdlab.data.Synthetic;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Mlp;
import org.sgdlab.nn.Sequential;
import org.sgdlab.optim.Schedule;
import org.sgdlab.optim.Sgd;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.train.Checkpoints;
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
            description =
                    "Data set: random-labels, teacher, mixture, fashion-mnist (the full set"
                            + " from --data-dir), fashion-mnist-subset (shipped with sgdlab),"
                            + " npy:X.npy,Y.npy or csv:FILE (label in the last column).")
    String dataset;

    @Option(
            names = "--data-dir",
            defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Directory of the Fashion-MNIST IDX files.")
    Path dataDirectory;

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

    @Option(
            names = "--n-train",
            defaultValue = "256",
            description = "Training examples (Fashion-MNIST: the first n of the training set).")
    int trainSize;

    @Option(
            names = "--n-test",
            description =
                    "Test examples: 256 for synthetic sets, 10000 (all) for Fashion-MNIST, 5000 (all)"
                            + " for the shipped subset,"
                            + " and for npy and csv files the last rows held out (default 0).")
    Integer testSize;

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
            description =
                    "Initialization: he, lecun, ntk, gaussian:STD, or a .safetensors file"
                            + " written by --save (PyTorch layout).")
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

    @Option(
            names = "--save",
            description =
                    "Write the trained weights to this .safetensors file, with a"
                            + " configuration JSON beside it.")
    Path save;

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
                        initFile() ? Init.he() : Init.parse(init),
                        root.derive("init"));
        if (initFile()) {
            Checkpoints.load(model, Path.of(init));
        }
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
        if (split.test() != null && split.test().size() > 0) {
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
        if (save != null) {
            Checkpoints.save(model, save, Map.of("format", "pt", "seed", Long.toString(seed)));
            AtomicFiles.writeString(
                    configurationFile(save),
                    RunFiles.JSON.writeValueAsString(architecture(model, split, outputs)));
        }
        if (!quiet) {
            System.out.println(summaryLine(result));
        }
        return 0;
    }

    private Split data(RandomStream random) throws IOException {
        Synthetic.Inputs distribution = Synthetic.Inputs.parse(inputs);
        int synthetic = testSize == null ? 256 : testSize;
        if (dataset.startsWith("npy:") || dataset.startsWith("csv:")) {
            return holdOut(fileData(), testSize == null ? 0 : testSize);
        }
        switch (dataset) {
            case "random-labels":
                return Synthetic.randomLabels(
                        trainSize, synthetic, inputDim, classes, distribution, random);
            case "teacher":
                return Synthetic.teacher(
                        trainSize,
                        synthetic,
                        inputDim,
                        teacherUnits,
                        teacherActivation,
                        classes,
                        0,
                        distribution,
                        random);
            case "mixture":
                return Synthetic.mixture(
                        trainSize, synthetic, inputDim, classes, 2, 0.2, 0.5, random);
            case "fashion-mnist":
                return new Split(
                        FashionMnist.load(dataDirectory, true, trainSize),
                        FashionMnist.load(
                                dataDirectory, false, testSize == null ? 10_000 : testSize));
            case "fashion-mnist-subset":
                return new Split(
                        FashionMnist.subset(true).head(Math.min(trainSize, 4000)),
                        FashionMnist.subset(false)
                                .head(Math.min(testSize == null ? 5000 : testSize, 5000)));
            default:
                throw new UserError(
                        "unknown --dataset '"
                                + dataset
                                + "'; allowed: random-labels, teacher, mixture, fashion-mnist,"
                                + " fashion-mnist-subset, npy:X.npy,Y.npy, csv:FILE");
        }
    }

    private Dataset fileData() throws IOException {
        String spec = dataset.substring(4);
        if (dataset.startsWith("csv:")) {
            return CsvReader.read(existing(spec));
        }
        String[] files = spec.split(",");
        if (files.length != 2) {
            throw new UserError(
                    "--dataset npy: needs two files, npy:X.npy,Y.npy, got '" + dataset + "'");
        }
        return NpyReader.dataset(existing(files[0]), existing(files[1]));
    }

    private static Path existing(String name) {
        Path file = Path.of(name);
        if (!Files.isRegularFile(file)) {
            throw new UserError("data file " + name + " does not exist");
        }
        return file;
    }

    /** The last rows as the test set, the others as the training set. */
    private static Split holdOut(Dataset all, int count) {
        if (count < 0 || count >= all.size()) {
            throw new UserError(
                    "--n-test must leave training rows: the file has "
                            + all.size()
                            + " rows, got "
                            + count);
        }
        int[] train = new int[all.size() - count];
        int[] test = new int[count];
        for (int i = 0; i < all.size(); i++) {
            if (i < train.length) {
                train[i] = i;
            } else {
                test[i - train.length] = i;
            }
        }
        return new Split(all.subset(train), all.subset(test));
    }

    private boolean initFile() {
        return init.endsWith(".safetensors") || Files.isRegularFile(Path.of(init));
    }

    /** The configuration file beside a weights file: model.safetensors -> model.json. */
    static Path configurationFile(Path weights) {
        String name = weights.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - 12) : name;
        return weights.resolveSibling(stem + ".json");
    }

    private Map<String, Object> architecture(Sequential model, Split split, int outputs) {
        Map<String, Object> architecture = new LinkedHashMap<>();
        architecture.put("architecture", "relu-mlp");
        architecture.put("input_dim", split.train().inputDim());
        architecture.put("width", width);
        architecture.put("depth", depth);
        architecture.put("outputs", outputs);
        architecture.put("bias", true);
        architecture.put(
                "layout",
                "torch.nn.Sequential of Linear and ReLU; 'N.weight' is [out, in] as in PyTorch");
        Map<String, Object> shapes = new LinkedHashMap<>();
        model.namedParameters().forEach((name, tensor) -> shapes.put(name, tensor.shape()));
        architecture.put("parameters_as_stored_in_sgdlab", shapes);
        architecture.put("training", configuration());
        return architecture;
    }

    private void validate() {
        positive("--input-dim", inputDim);
        positive("--n-train", trainSize);
        positive("--depth", depth);
        positive("--width", width);
        positive("--batch-size", batchSize);
        if (testSize != null && testSize < 0) {
            throw new UserError("--n-test must be 0 or more, got " + testSize);
        }
        if (classes < 0 || classes == 1) {
            throw new UserError("--classes must be 0 (regression) or at least 2, got " + classes);
        }
        if (batchSize > trainSize && !dataset.contains(":")) {
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
        if (save != null && !save.getFileName().toString().endsWith(".safetensors")) {
            throw new UserError("--save must name a .safetensors file, got " + save);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("--out " + out + " exists and is not a directory");
        }
        if (!initFile()) {
            Init.parse(init);
        } else if (!Files.isRegularFile(Path.of(init))) {
            throw new UserError("--init file " + init + " does not exist");
        }
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
