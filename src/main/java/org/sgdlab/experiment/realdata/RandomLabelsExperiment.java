package org.sgdlab.experiment.realdata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.sgdlab.data.Corruption;
import org.sgdlab.data.FashionMnist;
import org.sgdlab.data.Split;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.Plot;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.Rows;
import org.sgdlab.experiment.RunSpec;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Statistics;
import org.sgdlab.experiment.Verdict;
import org.sgdlab.tensor.RandomStream;

/**
 * The randomization tests of Zhang, Bengio, Hardt, Recht and Vinyals, "Understanding deep learning
 * requires rethinking generalization" (ICLR 2017), on Fashion-MNIST: the same networks trained on
 * true labels, on partially and fully random labels, and on shuffled pixels, random pixels and
 * Gaussian inputs (see {@link Corruption}).
 *
 * <p>Models: {@code mlp} is Zhang et al.'s MLP 1x512 (one hidden layer of {@code mlp-width} ReLU
 * units); {@code cnn} is the two-convolution network of {@link ImageModels#cnn} with {@code
 * cnn-channels} channels (16 by default, which is {@link org.sgdlab.nn.Cnn#small} at k = 1). Each
 * run draws its training images, its corruption, its initialization and its batch order from its
 * seed; for one seed, all corruptions share the images, the initialization and the batch order, and
 * both models share the corruption, so ratios between corruptions are paired. True and random
 * labels, the two sides of the factor, run {@code factor-replicates} times per seed and model:
 * replicate 0 on the seed's streams, shared with the other corruptions, and replicate r > 0 on
 * streams derived from the seed and r (other images, labels, initialization and batch order, the
 * same for both sides), so each replicate is one more independent pair. Each run trains as {@link
 * Fitting} says: SGD with momentum on cross-entropy until every training example is classified
 * correctly or {@code max-epochs} pass. The label level of a corruption is 0 for true labels, p for
 * partial labels with probability p, and 1 for random labels; input corruptions have none.
 *
 * <p>Verdicts, per model, at 95 % confidence:
 *
 * <ol>
 *   <li>Fits every corruption: the lowest final training accuracy over all runs is 1.
 *   <li>The time to fit grows with the label level: Spearman's rank correlation of epochs to fit
 *       with the label level, over the label-corruption runs, has a bootstrap interval above 0.
 *   <li>Random labels cost a modest factor: the ratio epochs to fit on random labels / on true
 *       labels, computed per replicate (same seed, same replicate) and averaged on a log scale, has
 *       a geometric mean whose t interval (on the log ratios, over all replicates of all seeds)
 *       lies above 1 and below {@code modest-factor}.
 *   <li>Test accuracy falls with the label level: Spearman's correlation of test accuracy with the
 *       label level has an interval below 0.
 *   <li>Test accuracy on random labels is at chance: the t interval of its mean lies within 1/10
 *       +/- {@code chance-margin}.
 * </ol>
 *
 * A run that does not fit within the budget enters the time-to-fit statistics with its budget,
 * which is a lower bound on its time to fit; the notes then say so.
 *
 * <p>Why replicates. With one pair per seed and three seeds, the t interval of the log factor has 2
 * degrees of freedom (t quantile 4.30), and the spread of the log ratio from seed to seed (a
 * standard deviation of 0.14 to 0.23 for the CNN) then hides a factor of 1.5: seeds 0 to 2 gave
 * 1.46 with an interval of 0.83 to 2.56, seeds 100 to 102 gave 2.01 with 1.43 to 2.81. Two
 * replicates give six pairs (t quantile 2.57), an interval 0.42 times as wide, for the cost of one
 * more true-label and one more random-label run per seed and model; the other corruptions, which
 * enter only the rank correlations, run once. The time to fit is counted in epochs of 8 steps (500
 * images, batch 64); the CNN needs about 20 to 45 epochs, so rounding to the epoch moves a log
 * ratio by at most about 0.05, well below the spread between seeds, and finer checks of the
 * training accuracy (a pass over the training set each) would cost more than a replicate.
 *
 * <p>The full profile: 1,000 images of the full training set, the whole test set, 9 corruptions and
 * a learning rate of 0.02. Random labels of 2,000 images were not fitted by the CNN in 300 epochs
 * (82 % training accuracy). At the quick profile's rate of 0.05, the CNN on Gaussian inputs of seed
 * 0 reached 96 % training accuracy by epoch 80, then its loss spiked (3.07 at epoch 160) and the
 * network collapsed to a single output (11.7 % at epoch 300, loss ln 10): the constant rate was
 * beyond what training stays stable at once the network fits most of its examples. At 0.02 that
 * corruption fitted in 25 to 29 epochs on seeds 0 to 2, and random labels in 47 to 65.
 *
 * <p>Cost. Quick (500 images of the shipped subset, 6 corruptions, 2 models, 3 seeds: 36 runs):
 * measured 146 s of wall time and 175 s of processor time on two cores shared with other work; a
 * step of 64 images costs about 8 ms for the MLP and 40 ms for the CNN, evaluations included. Full
 * (66 runs): see the README for its measured time. {@code --set train-size=60000} trains on the
 * whole training set, sixty times longer per epoch, and needs a wider CNN for random labels.
 */
public final class RandomLabelsExperiment implements Experiment {
    /** The models this experiment knows. */
    static final List<String> MODELS = List.of("mlp", "cnn");

    @Override
    public String name() {
        return "random-labels";
    }

    @Override
    public String description() {
        return "Zhang et al.'s randomization tests on Fashion-MNIST: an MLP 1x512 and a small CNN"
                + " fit true, partially random and random labels, shuffled and random pixels and"
                + " Gaussian inputs.";
    }

    @Override
    public List<String> claims() {
        return List.of(
                "Networks reach 100% training accuracy on every corruption, random labels and"
                        + " random inputs included",
                "The time to fit grows with the share of random labels",
                "Fitting random labels takes longer than fitting true labels, but only by a"
                        + " modest factor",
                "Test accuracy falls as the share of random labels grows",
                "With random labels, test accuracy is at chance");
    }

    @Override
    public Settings settings(Profile profile) {
        Settings settings = new Settings();
        FashionMnistData.define(settings, profile, 500, 1000, 1000, 10_000, 28, 28);
        settings.define("models", "mlp,cnn", "models to train, from: mlp, cnn")
                .define(
                        "corruptions",
                        profile,
                        "true-labels,partial-labels:0.5,random-labels,shuffled-pixels,"
                                + "random-pixels,gaussian",
                        "true-labels,partial-labels:0.2,partial-labels:0.4,partial-labels:0.6,"
                                + "partial-labels:0.8,random-labels,shuffled-pixels,"
                                + "random-pixels,gaussian",
                        "corruptions of the training set: true-labels, partial-labels:P,"
                                + " random-labels, shuffled-pixels, random-pixels, gaussian")
                .define("mlp-width", 512, "hidden units of the one-hidden-layer MLP")
                .define(
                        "cnn-channels",
                        16,
                        "channels of the CNN's first convolution (twice as many in the second)");
        Fitting.Options.define(settings, profile, 0.05, 0.02, 64, 200, 300);
        return settings.define(
                        "factor-replicates",
                        2,
                        "runs of true and of random labels per seed and model, each with its own"
                                + " images, labels, initialization and batch order")
                .define(
                        "modest-factor",
                        10.0,
                        "largest ratio of epochs to fit, random over true labels, called modest")
                .define(
                        "chance-margin",
                        0.1,
                        "largest distance from chance (1/10) of the test accuracy on random"
                                + " labels");
    }

    /** The models named by the setting, each known. */
    static List<String> models(Settings settings) {
        List<String> models = new ArrayList<>();
        for (String part : settings.text("models").split(",")) {
            String model = part.trim();
            if (!MODELS.contains(model)) {
                throw new IllegalArgumentException(
                        "invalid model '"
                                + model
                                + "' in setting 'models'; allowed: "
                                + String.join(", ", MODELS));
            }
            if (models.contains(model)) {
                throw new IllegalArgumentException(
                        "model '" + model + "' appears twice in setting 'models'");
            }
            models.add(model);
        }
        return models;
    }

    /** The corruptions named by the setting, in order. */
    static List<Corruption> corruptions(Settings settings) {
        List<Corruption> corruptions = new ArrayList<>();
        for (String part : settings.text("corruptions").split(",")) {
            Corruption corruption;
            try {
                corruption = Corruption.parse(part.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("setting 'corruptions': " + e.getMessage(), e);
            }
            if (corruptions.stream().anyMatch(c -> c.label().equals(corruption.label()))) {
                throw new IllegalArgumentException(
                        "corruption '"
                                + corruption.label()
                                + "' appears twice in setting 'corruptions'");
            }
            corruptions.add(corruption);
        }
        return corruptions;
    }

    /** The share of labels replaced by uniform classes: 0, p or 1; none for input corruptions. */
    static OptionalDouble labelLevel(Corruption corruption) {
        if (corruption instanceof Corruption.TrueLabels) {
            return OptionalDouble.of(0);
        }
        if (corruption instanceof Corruption.PartialLabels partial) {
            return OptionalDouble.of(partial.probability());
        }
        if (corruption instanceof Corruption.RandomLabels) {
            return OptionalDouble.of(1);
        }
        return OptionalDouble.empty();
    }

    private static void check(Settings settings) {
        FashionMnistData.check(settings);
        models(settings);
        corruptions(settings);
        Fitting.Options.of(settings);
        if (settings.integer("mlp-width") < 1) {
            throw new IllegalArgumentException(
                    "mlp-width must be positive, got " + settings.integer("mlp-width"));
        }
        if (settings.integer("factor-replicates") < 1) {
            throw new IllegalArgumentException(
                    "factor-replicates must be positive, got "
                            + settings.integer("factor-replicates"));
        }
        if (settings.integer("cnn-channels") < 1) {
            throw new IllegalArgumentException(
                    "cnn-channels must be positive, got " + settings.integer("cnn-channels"));
        }
        if (!(settings.number("modest-factor") > 1)) {
            throw new IllegalArgumentException(
                    "modest-factor must be above 1, got " + settings.number("modest-factor"));
        }
        double margin = settings.number("chance-margin");
        if (!(margin > 0 && margin < 1)) {
            throw new IllegalArgumentException("chance-margin must be in (0, 1), got " + margin);
        }
    }

    @Override
    public List<RunSpec> runs(Settings settings, List<Long> seeds) {
        check(settings);
        FashionMnistData.open(settings);
        List<RunSpec> runs = new ArrayList<>();
        for (long seed : seeds) {
            for (String model : models(settings)) {
                for (Corruption corruption : corruptions(settings)) {
                    int replicates =
                            entersTheFactor(corruption) ? settings.integer("factor-replicates") : 1;
                    for (int replicate = 0; replicate < replicates; replicate++) {
                        Map<String, Object> parameters = new LinkedHashMap<>();
                        parameters.put("model", model);
                        parameters.put("corruption", corruption.label());
                        parameters.put("replicate", replicate);
                        labelLevel(corruption)
                                .ifPresent(level -> parameters.put("label_level", level));
                        String id =
                                model
                                        + "_"
                                        + corruption.label().replace(':', '-')
                                        + "_rep="
                                        + replicate
                                        + "_seed="
                                        + seed;
                        runs.add(new RunSpec(id, parameters, seed));
                    }
                }
            }
        }
        return runs;
    }

    /** Whether the corruption is one side of the factor random over true labels. */
    private static boolean entersTheFactor(Corruption corruption) {
        return corruption instanceof Corruption.TrueLabels
                || corruption instanceof Corruption.RandomLabels;
    }

    /**
     * The root stream of a run: the seed's own for replicate 0, shared by every corruption and
     * model of the seed, and an independent one derived from the seed for each further replicate.
     */
    static RandomStream root(RunSpec run) {
        RandomStream seed = new RandomStream(run.seed());
        int replicate = run.integer("replicate");
        return replicate == 0 ? seed : seed.derive("replicate", replicate);
    }

    @Override
    public Map<String, Object> execute(RunSpec run, Settings settings) {
        RandomStream root = root(run);
        Split data = FashionMnistData.load(settings, root);
        Corruption corruption = Corruption.parse(run.text("corruption"));
        Corruption.Applied applied = corruption.draw(data.train(), root.derive("corruption"));
        int side = settings.integer("image-side");
        ImageModels.Built model = model(run.text("model"), side, settings, root.derive("init"));

        Fitting.Fit fit =
                Fitting.fit(
                        model.module(),
                        model.view(applied.train()),
                        model.view(applied.test(data.test())),
                        Fitting.Options.of(settings),
                        root);
        Map<String, Object> row = new LinkedHashMap<>(fit.row());
        row.put("changed_labels", changedShare(data.train().labels(), applied.train().labels()));
        return row;
    }

    private static ImageModels.Built model(
            String name, int side, Settings settings, RandomStream random) {
        return switch (name) {
            case "mlp" -> ImageModels.mlp(side, settings.integer("mlp-width"), 2, random);
            case "cnn" -> ImageModels.cnn(side, settings.integer("cnn-channels"), random);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'");
        };
    }

    private static double changedShare(int[] before, int[] after) {
        int changed = 0;
        for (int i = 0; i < before.length; i++) {
            changed += before[i] != after[i] ? 1 : 0;
        }
        return changed / (double) before.length;
    }

    @Override
    public Analysis analyze(List<Map<String, Object>> rows, Settings settings) {
        List<Verdict> verdicts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Plot.Series> fitSeries = new ArrayList<>();
        List<Plot.Series> testSeries = new ArrayList<>();
        double chance = 1.0 / FashionMnist.CLASSES;
        double margin = settings.number("chance-margin");
        double modest = settings.number("modest-factor");

        for (Map.Entry<String, List<Map<String, Object>>> group :
                Rows.groupByText(rows, "model").entrySet()) {
            String model = group.getKey();
            List<Map<String, Object>> modelRows = group.getValue();
            List<Map<String, Object>> labelRows =
                    Rows.where(modelRows, row -> row.get("label_level") != null);

            verdicts.add(
                    Fitting.fitVerdict(
                            claims().get(0) + " (" + model + ")",
                            modelRows,
                            "every run at training accuracy 1"));
            notes.addAll(corruptionNotes(model, modelRows));
            notes.addAll(inputNotes(model, modelRows, chance + margin));
            if (Rows.where(modelRows, row -> !Rows.flag(row, "fitted")).size() > 0) {
                notes.add(
                        model
                                + ": runs that did not fit enter the time to fit with their"
                                + " budget of "
                                + settings.integer("max-epochs")
                                + " epochs, a lower bound.");
            }

            TreeMap<Double, List<Map<String, Object>>> byLevel =
                    Rows.groupByNumber(labelRows, "label_level");
            if (byLevel.size() >= 2 && labelRows.size() >= 3) {
                double[] level = Rows.column(labelRows, "label_level");
                RandomStream bootstrap = new RandomStream(0).derive("bootstrap-" + model);
                Statistics.Estimate timeTrend =
                        Statistics.spearman(
                                level,
                                Rows.column(labelRows, "epochs_to_fit"),
                                0.95,
                                1000,
                                bootstrap.derive("time"));
                verdicts.add(
                        new Verdict(
                                claims().get(1) + " (" + model + ")",
                                "Spearman correlation of epochs to fit with the label level",
                                timeTrend.value(),
                                timeTrend.low(),
                                timeTrend.high(),
                                timeTrend.above(0),
                                "bootstrap 95% interval above 0"));
                Statistics.Estimate testTrend =
                        Statistics.spearman(
                                level,
                                Rows.column(labelRows, "test_accuracy"),
                                0.95,
                                1000,
                                bootstrap.derive("test"));
                verdicts.add(
                        new Verdict(
                                claims().get(3) + " (" + model + ")",
                                "Spearman correlation of test accuracy with the label level",
                                testTrend.value(),
                                testTrend.low(),
                                testTrend.high(),
                                testTrend.below(0),
                                "bootstrap 95% interval below 0"));
                fitSeries.add(Rows.meanBand(model, byLevel, "epochs_to_fit"));
                testSeries.add(Rows.meanBand(model, byLevel, "test_accuracy"));
            } else {
                notes.add(
                        model
                                + ": the trends in the label level need at least two label levels"
                                + " and three runs; none computed.");
            }

            double[][] pairs =
                    Rows.paired(
                            Rows.where(modelRows, "corruption", "random-labels"),
                            Rows.where(modelRows, "corruption", "true-labels"),
                            "epochs_to_fit");
            List<Double> logRatios = new ArrayList<>();
            for (int i = 0; i < pairs[0].length; i++) {
                logRatios.add(Math.log(pairs[0][i] / pairs[1][i]));
            }
            if (!logRatios.isEmpty()) {
                Statistics.Estimate logFactor =
                        Statistics.mean(
                                logRatios.stream().mapToDouble(Double::doubleValue).toArray(),
                                0.95);
                Statistics.Estimate factor =
                        new Statistics.Estimate(
                                Math.exp(logFactor.value()),
                                Math.exp(logFactor.low()),
                                Math.exp(logFactor.high()),
                                logFactor.count());
                verdicts.add(
                        new Verdict(
                                claims().get(2) + " (" + model + ")",
                                "epochs to fit random labels / true labels, geometric mean over"
                                        + " paired replicates",
                                factor.value(),
                                factor.low(),
                                factor.high(),
                                factor.above(1) && factor.below(modest),
                                String.format(
                                        Locale.ROOT,
                                        "95%% t interval of the log ratio, exponentiated, within"
                                                + " (1, %s)",
                                        modest)));
                notes.add(
                        String.format(
                                Locale.ROOT,
                                "%s: fitting random labels took %.2f times the epochs of true"
                                        + " labels (95%% interval %.2f to %.2f, %d paired"
                                        + " replicates; ratios %s).",
                                model,
                                factor.value(),
                                factor.low(),
                                factor.high(),
                                factor.count(),
                                ratios(logRatios)));
                if (!factor.above(1)) {
                    notes.add(
                            String.format(
                                    Locale.ROOT,
                                    "%s: the interval of the factor reaches down to %.2f, so at"
                                            + " %d training images random labels were not"
                                            + " reliably slower to fit than true labels.",
                                    model,
                                    factor.low(),
                                    settings.integer("train-size")));
                }
                if (!factor.below(modest)) {
                    notes.add(
                            String.format(
                                    Locale.ROOT,
                                    "%s: the interval of the factor reaches up to %.2f, beyond"
                                            + " the modest bound %s.",
                                    model,
                                    factor.high(),
                                    modest));
                }
            } else {
                notes.add(
                        model
                                + ": no replicate ran both true and random labels; no factor"
                                + " computed.");
            }

            List<Map<String, Object>> randomRows =
                    Rows.where(modelRows, "corruption", "random-labels");
            if (!randomRows.isEmpty()) {
                Statistics.Estimate accuracy =
                        Statistics.mean(Rows.column(randomRows, "test_accuracy"), 0.95);
                verdicts.add(
                        new Verdict(
                                claims().get(4) + " (" + model + ")",
                                "mean test accuracy after training on random labels",
                                accuracy.value(),
                                accuracy.low(),
                                accuracy.high(),
                                accuracy.low() >= chance - margin
                                        && accuracy.high() <= chance + margin,
                                String.format(
                                        Locale.ROOT,
                                        "95%% t interval within chance %.2f +/- %s",
                                        chance,
                                        margin)));
            }
        }

        List<Plot> plots = new ArrayList<>();
        if (!fitSeries.isEmpty()) {
            plots.add(
                    new Plot(
                            "random-labels-time-to-fit",
                            "Epochs to 100% training accuracy (mean; band: lowest to highest seed)",
                            "share of random labels",
                            "epochs to fit",
                            false,
                            false,
                            fitSeries));
            List<Plot.Series> withChance = new ArrayList<>(testSeries);
            withChance.add(
                    Plot.Series.line("chance", new double[] {0, 1}, new double[] {0.1, 0.1}));
            plots.add(
                    new Plot(
                            "random-labels-test-accuracy",
                            "Test accuracy on the true test labels (mean; band: lowest to highest"
                                    + " seed)",
                            "share of random labels",
                            "test accuracy",
                            false,
                            false,
                            withChance));
        }
        return new Analysis(verdicts, plots, notes);
    }

    /** The ratios exp(log ratio), two decimals each, comma-separated. */
    private static String ratios(List<Double> logRatios) {
        List<String> parts = new ArrayList<>();
        for (double logRatio : logRatios) {
            parts.add(String.format(Locale.ROOT, "%.2f", Math.exp(logRatio)));
        }
        return String.join(", ", parts);
    }

    /** One line per corruption: how many runs fitted, in how many epochs, and test accuracy. */
    private static List<String> corruptionNotes(String model, List<Map<String, Object>> rows) {
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> group :
                Rows.groupByText(rows, "corruption").entrySet()) {
            List<Map<String, Object>> runs = group.getValue();
            int fitted = Rows.where(runs, row -> Rows.flag(row, "fitted")).size();
            double[] epochs = Rows.column(runs, "epochs_to_fit");
            double[] train = Rows.column(runs, "train_accuracy");
            double[] test = Rows.column(runs, "test_accuracy");
            notes.add(
                    String.format(
                            Locale.ROOT,
                            "%s, %s: %d of %d runs fitted; epochs to fit %s; final training"
                                    + " accuracy %s; test accuracy %s.",
                            model,
                            group.getKey(),
                            fitted,
                            runs.size(),
                            Rows.summary(epochs, "%.0f"),
                            Rows.summary(train, "%.3f"),
                            Rows.summary(test, "%.3f")));
        }
        return notes;
    }

    /**
     * For each input corruption whose mean test accuracy is above chance + margin, what of the
     * class survives the corruption.
     */
    private static List<String> inputNotes(
            String model, List<Map<String, Object>> rows, double aboveChance) {
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> group :
                Rows.groupByText(rows, "corruption").entrySet()) {
            double accuracy = Statistics.mean(Rows.column(group.getValue(), "test_accuracy"));
            if (accuracy <= aboveChance) {
                continue;
            }
            String why =
                    switch (group.getKey()) {
                        case "shuffled-pixels" ->
                                "one permutation shared by all images moves every pixel to the"
                                        + " same new place in training and test images alike;"
                                        + " a fully connected network is blind to the order"
                                        + " of its inputs, and a convolution still sees every"
                                        + " pixel";
                        case "random-pixels" ->
                                "a permutation of its pixels keeps each image's"
                                        + " histogram of grey levels, and so how much of the"
                                        + " frame the garment covers, which differs between"
                                        + " classes";
                        default -> "";
                    };
            if (!why.isEmpty()) {
                notes.add(
                        String.format(
                                Locale.ROOT,
                                "%s, %s: test accuracy %.3f is above chance, because %s.",
                                model,
                                group.getKey(),
                                accuracy,
                                why));
            }
        }
        return notes;
    }
}
