package org.sgdlab.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdlab.data.Dataset;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Module;
import org.sgdlab.optim.Sgd;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * The training loop of one run:
 *
 * <pre>{@code
 * for each step:
 *     optimizer.zeroGrad();
 *     Tensor loss = lossFunction.apply(model.forward(batch.x()), batch.y());
 *     loss.backward();
 *     optimizer.step();
 * }</pre>
 *
 * <p>Every {@code logEvery} steps, and at steps 0 and the last, the model is evaluated on the whole
 * training set (and test set, if any) and each probe is measured; the row goes to the listeners. A
 * batch loss that is NaN or infinite ends the run with {@link Outcome#DIVERGED}, which is a result,
 * not an exception. Optional targets (a training accuracy, a training loss) end the run early at
 * the first logged step that reaches them.
 */
public final class Trainer {
    private final Module model;
    private final Loss loss;
    private final Sgd optimizer;
    private final Dataset train;
    private final Dataset test;
    private final BatchSampler sampler;
    private final long totalSteps;
    private final long logEvery;
    private final double targetAccuracy;
    private final double targetLoss;
    private final List<Probe> probes;
    private final List<TrainingListener> listeners;

    private Trainer(Builder builder) {
        this.model = builder.model;
        this.loss = builder.loss;
        this.optimizer = builder.optimizer;
        this.train = builder.train;
        this.test = builder.test;
        this.sampler = new BatchSampler(train, builder.batchSize, builder.sampling, builder.random);
        this.totalSteps =
                builder.steps > 0 ? builder.steps : builder.epochs * sampler.stepsPerEpoch();
        this.logEvery = builder.logEvery > 0 ? builder.logEvery : Math.max(1, totalSteps / 100);
        this.targetAccuracy = builder.targetAccuracy;
        this.targetLoss = builder.targetLoss;
        this.probes = List.copyOf(builder.probes);
        this.listeners = List.copyOf(builder.listeners);
    }

    public static Builder builder(Module model, Loss loss, Sgd optimizer, Dataset train) {
        return new Builder(model, loss, optimizer, train);
    }

    /** The step budget of this run. */
    public long totalSteps() {
        return totalSteps;
    }

    /** Trains until the budget is spent, a target is reached, or the loss diverges. */
    public TrainingResult run() {
        long started = System.nanoTime();
        List<Map<String, Double>> history = new ArrayList<>();
        listeners.forEach(listener -> listener.started(totalSteps));
        model.train(true);

        Map<String, Double> row = log(0, history);
        long stepsToTarget = targetReached(row) ? 0 : -1;
        Outcome outcome = stepsToTarget == 0 ? Outcome.TARGET_REACHED : Outcome.COMPLETED;
        long divergedAt = -1;
        long step = 0;
        while (step < totalSteps && outcome == Outcome.COMPLETED) {
            Batch batch = sampler.next();
            optimizer.zeroGrad();
            Tensor batchLoss = loss.apply(model.forward(batch.x()), batch.y());
            if (!Float.isFinite(batchLoss.item())) {
                divergedAt = step;
                outcome = Outcome.DIVERGED;
                break;
            }
            batchLoss.backward();
            optimizer.step();
            step++;
            for (TrainingListener listener : listeners) {
                listener.stepped(step);
            }

            if (step % logEvery == 0 || step == totalSteps) {
                row = log(step, history);
                if (!Double.isFinite(row.get("train_loss"))) {
                    divergedAt = step;
                    outcome = Outcome.DIVERGED;
                } else if (targetReached(row)) {
                    stepsToTarget = step;
                    outcome = Outcome.TARGET_REACHED;
                }
            }
        }
        if (outcome == Outcome.DIVERGED && history.get(history.size() - 1).get("step") != step) {
            row = log(step, history);
        }

        double seconds = (System.nanoTime() - started) / 1e9;
        TrainingResult result =
                new TrainingResult(outcome, step, history, row, stepsToTarget, divergedAt, seconds);
        listeners.forEach(listener -> listener.finished(result));
        return result;
    }

    private Map<String, Double> log(long step, List<Map<String, Double>> history) {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("step", (double) step);
        row.put("epoch", step / (double) sampler.stepsPerEpoch());
        row.put("learning_rate", optimizer.currentLearningRate());
        Evaluation onTrain = Evaluation.of(model, loss, train);
        row.put("train_loss", onTrain.loss());
        row.put("train_accuracy", onTrain.accuracy());
        if (test != null) {
            Evaluation onTest = Evaluation.of(model, loss, test);
            row.put("test_loss", onTest.loss());
            row.put("test_accuracy", onTest.accuracy());
        }
        for (Probe probe : probes) {
            row.putAll(probe.measure(model));
        }
        history.add(row);
        for (TrainingListener listener : listeners) {
            listener.logged(row);
        }
        return row;
    }

    private boolean targetReached(Map<String, Double> row) {
        boolean accuracy =
                !Double.isNaN(targetAccuracy) && row.get("train_accuracy") >= targetAccuracy;
        boolean lossReached = !Double.isNaN(targetLoss) && row.get("train_loss") <= targetLoss;
        return accuracy || lossReached;
    }

    /** The settings of a run. A step budget ({@code steps} or {@code epochs}) is required. */
    public static final class Builder {
        private final Module model;
        private final Loss loss;
        private final Sgd optimizer;
        private final Dataset train;
        private Dataset test;
        private int batchSize = 1;
        private Sampling sampling = Sampling.SHUFFLE;
        private RandomStream random = new RandomStream(0);
        private long steps;
        private long epochs;
        private long logEvery;
        private double targetAccuracy = Double.NaN;
        private double targetLoss = Double.NaN;
        private final List<Probe> probes = new ArrayList<>();
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(Module model, Loss loss, Sgd optimizer, Dataset train) {
            this.model = model;
            this.loss = loss;
            this.optimizer = optimizer;
            this.train = train;
        }

        public Builder test(Dataset data) {
            this.test = data;
            return this;
        }

        public Builder batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        public Builder sampling(Sampling mode) {
            this.sampling = mode;
            return this;
        }

        /** The stream that orders the batches. */
        public Builder random(RandomStream stream) {
            this.random = stream;
            return this;
        }

        /** A budget in optimizer steps. */
        public Builder steps(long count) {
            if (count <= 0) {
                throw new IllegalArgumentException("steps must be positive, got " + count);
            }
            this.steps = count;
            return this;
        }

        /** A budget in passes over the training set. */
        public Builder epochs(long count) {
            if (count <= 0) {
                throw new IllegalArgumentException("epochs must be positive, got " + count);
            }
            this.epochs = count;
            return this;
        }

        /** Evaluate and log every this many steps; by default 100 rows per run. */
        public Builder logEvery(long interval) {
            if (interval <= 0) {
                throw new IllegalArgumentException(
                        "log interval must be positive, got " + interval);
            }
            this.logEvery = interval;
            return this;
        }

        /** Stop at the first logged step whose training accuracy reaches this value. */
        public Builder stopAtTrainAccuracy(double accuracy) {
            this.targetAccuracy = accuracy;
            return this;
        }

        /** Stop at the first logged step whose training loss is at most this value. */
        public Builder stopAtTrainLoss(double value) {
            this.targetLoss = value;
            return this;
        }

        public Builder probe(Probe probe) {
            probes.add(probe);
            return this;
        }

        public Builder listener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        public Trainer build() {
            if (steps == 0 && epochs == 0) {
                throw new IllegalArgumentException("a run needs a budget: steps or epochs");
            }
            return new Trainer(this);
        }
    }
}
