package org.sgdlab.experiment.realdata;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdlab.data.Dataset;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.Rows;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Verdict;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Module;
import org.sgdlab.optim.Sgd;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.train.Evaluation;
import org.sgdlab.train.Trainer;
import org.sgdlab.train.TrainingResult;

/**
 * One run of the randomization tests: a classifier trained by SGD on the cross-entropy loss until
 * it classifies every training example correctly (training accuracy 1) or its epoch budget is
 * spent, then evaluated once on the test set.
 *
 * <p>The optimizer is SGD with heavy-ball momentum in PyTorch's form, a constant learning rate and
 * no weight decay; Zhang et al. (2017) used momentum 0.9 too, with a rate decayed by 0.95 per
 * epoch, which we leave out so that the time to fit is measured on one clock. Batches are drawn by
 * reshuffling the training set every epoch. Training accuracy is checked once per epoch, on the
 * whole training set in evaluation mode, so the time to fit is exact to one epoch: {@code
 * epochs_to_fit} is the first epoch at whose end every example was classified correctly.
 */
final class Fitting {
    private Fitting() {}

    /**
     * The optimizer and budget of a run.
     *
     * @param learningRate the constant learning rate eta
     * @param momentum the momentum mu in [0, 1)
     * @param batchSize the examples per step
     * @param maxEpochs the budget in passes over the training set
     */
    record Options(double learningRate, double momentum, int batchSize, int maxEpochs) {
        Options {
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException(
                        "learning-rate must be positive, got " + learningRate);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch-size must be positive, got " + batchSize);
            }
            if (maxEpochs < 1) {
                throw new IllegalArgumentException("max-epochs must be positive, got " + maxEpochs);
            }
        }

        /** Reads learning-rate, momentum, batch-size and max-epochs. */
        static Options of(Settings settings) {
            return new Options(
                    settings.number("learning-rate"),
                    settings.number("momentum"),
                    settings.integer("batch-size"),
                    settings.integer("max-epochs"));
        }

        /** Declares learning-rate, momentum, batch-size and max-epochs. */
        static Settings define(
                Settings settings,
                Profile profile,
                double learningRate,
                int batchSize,
                int quickEpochs,
                int fullEpochs) {
            return define(
                    settings,
                    profile,
                    learningRate,
                    learningRate,
                    batchSize,
                    quickEpochs,
                    fullEpochs);
        }

        /** The same, with a learning rate of its own for each profile. */
        static Settings define(
                Settings settings,
                Profile profile,
                double quickLearningRate,
                double fullLearningRate,
                int batchSize,
                int quickEpochs,
                int fullEpochs) {
            return settings.define(
                            "learning-rate",
                            profile,
                            quickLearningRate,
                            fullLearningRate,
                            "constant SGD learning rate")
                    .define("momentum", 0.9, "SGD momentum (PyTorch form)")
                    .define("batch-size", batchSize, "examples per SGD step")
                    .define(
                            "max-epochs",
                            profile,
                            quickEpochs,
                            fullEpochs,
                            "budget in epochs; a run that has not fitted by then stops");
        }
    }

    /**
     * What a run measured.
     *
     * @param fitted whether the training accuracy reached 1 within the budget
     * @param epochs the epochs trained: the epochs to fit when fitted, the whole budget otherwise
     * @param steps the SGD steps taken
     * @param trainAccuracy the final training accuracy
     * @param trainLoss the final training loss
     * @param testAccuracy the accuracy on the test set
     * @param parameters the number of parameters of the model
     * @param diverged whether the loss became NaN or infinite
     * @param seconds wall-clock seconds of the training
     */
    record Fit(
            boolean fitted,
            long epochs,
            long steps,
            double trainAccuracy,
            double trainLoss,
            double testAccuracy,
            long parameters,
            boolean diverged,
            double seconds) {
        /** The measurements as columns of a results row. */
        Map<String, Object> row() {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("parameters", parameters);
            row.put("fitted", fitted);
            row.put("epochs_to_fit", epochs);
            row.put("steps", steps);
            row.put("train_accuracy", trainAccuracy);
            row.put("train_loss", trainLoss);
            row.put("test_accuracy", testAccuracy);
            row.put("test_error", 1 - testAccuracy);
            row.put("diverged", diverged);
            row.put("seconds", seconds);
            return row;
        }
    }

    /** Trains the model on the training set until it fits or the budget is spent. */
    static Fit fit(
            Module model, Dataset train, Dataset test, Options options, RandomStream random) {
        Sgd optimizer =
                new Sgd(
                        model.parameters(),
                        Sgd.options()
                                .learningRate(options.learningRate())
                                .momentum(options.momentum()));
        long stepsPerEpoch = (train.size() + options.batchSize() - 1) / options.batchSize();
        TrainingResult result =
                Trainer.builder(model, Loss.CROSS_ENTROPY, optimizer, train)
                        .batchSize(options.batchSize())
                        .steps(stepsPerEpoch * options.maxEpochs())
                        .logEvery(stepsPerEpoch)
                        .random(random.derive("batches"))
                        .stopAtTrainAccuracy(1.0)
                        .build()
                        .run();
        double testAccuracy = Evaluation.of(model, Loss.CROSS_ENTROPY, test).accuracy();
        return new Fit(
                result.reachedTarget(),
                (result.steps() + stepsPerEpoch - 1) / stepsPerEpoch,
                result.steps(),
                result.metric("train_accuracy"),
                result.metric("train_loss"),
                testAccuracy,
                model.parameterCount(),
                result.diverged(),
                result.wallSeconds());
    }

    /**
     * The verdict that every run fitted: the lowest final training accuracy over the rows, with the
     * lowest and the highest as its interval; it holds when the lowest is 1.
     */
    static Verdict fitVerdict(String claim, List<Map<String, Object>> rows, String criterion) {
        double[] accuracy = Rows.column(rows, "train_accuracy");
        double lowest = Arrays.stream(accuracy).min().orElse(Double.NaN);
        double highest = Arrays.stream(accuracy).max().orElse(Double.NaN);
        return new Verdict(
                claim,
                "lowest final training accuracy over the runs (interval: lowest to highest)",
                lowest,
                lowest,
                highest,
                lowest >= 1,
                criterion);
    }
}
