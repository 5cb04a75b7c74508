package org.sgdlab.train;

import org.sgdlab.autograd.NoGrad;
import org.sgdlab.data.Dataset;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Module;
import org.sgdlab.tensor.Tensor;

/**
 * The loss and accuracy of a model on a whole data set, computed without gradients, in chunks of at
 * most {@link #CHUNK} examples so that memory stays bounded.
 *
 * @param loss the mean loss over all examples
 * @param accuracy the share of correctly classified examples, NaN for regression
 * @param correct which examples were classified correctly, null for regression
 */
public record Evaluation(double loss, double accuracy, boolean[] correct) {
    /** The number of examples per forward pass. */
    public static final int CHUNK = 1024;

    /** Evaluates the model in evaluation mode, then restores its mode. */
    public static Evaluation of(Module model, Loss loss, Dataset data) {
        boolean wasTraining = model.isTraining();
        model.train(false);
        try (NoGrad ignored = NoGrad.enter()) {
            int n = data.size();
            double lossSum = 0;
            int correctCount = 0;
            boolean[] correct = data.isClassification() ? new boolean[n] : null;
            for (int start = 0; start < n; start += CHUNK) {
                int count = Math.min(CHUNK, n - start);
                int[] rows = new int[count];
                for (int i = 0; i < count; i++) {
                    rows[i] = start + i;
                }
                Tensor x = BatchSampler.rows(data.inputs(), rows);
                Tensor y = BatchSampler.rows(data.targets(), rows);
                Tensor outputs = model.forward(x);
                lossSum += loss.apply(outputs, y).item() * count;
                if (correct != null) {
                    int[] predicted = Loss.predictions(outputs);
                    float[] labels = y.data();
                    for (int i = 0; i < count; i++) {
                        correct[start + i] = predicted[i] == (int) labels[i];
                        correctCount += correct[start + i] ? 1 : 0;
                    }
                }
            }
            double accuracy = correct == null ? Double.NaN : correctCount / (double) n;
            return new Evaluation(lossSum / n, accuracy, correct);
        } finally {
            model.train(wasTraining);
        }
    }
}
