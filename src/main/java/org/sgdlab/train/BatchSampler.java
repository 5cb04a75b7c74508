package org.sgdlab.train;

import org.sgdlab.data.Dataset;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * Draws the minibatches of a training run from a data set, with its own random stream, so that two
 * runs with the same seed see the same examples in the same order.
 *
 * <p>Under {@link Sampling#SHUFFLE} an epoch of n examples gives ceil(n / B) batches, the last one
 * smaller when B does not divide n; a batch size of n is full-batch gradient descent.
 */
public final class BatchSampler {
    private final Dataset data;
    private final int batchSize;
    private final Sampling sampling;
    private final RandomStream random;
    private int[] order;
    private int position;
    private long epoch;

    public BatchSampler(Dataset data, int batchSize, Sampling sampling, RandomStream random) {
        if (batchSize <= 0 || batchSize > data.size()) {
            throw new IllegalArgumentException(
                    "batch size must be in 1.." + data.size() + ", got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.sampling = sampling;
        this.random = random;
        this.position = data.size();
        this.epoch = -1;
    }

    /** The examples of the next step. */
    public Batch next() {
        int n = data.size();
        int[] rows;
        if (sampling == Sampling.REPLACEMENT) {
            rows = new int[batchSize];
            for (int i = 0; i < batchSize; i++) {
                rows[i] = random.nextInt(n);
            }
            position += batchSize;
            if (position >= n) {
                position -= n;
                epoch++;
            }
            epoch = Math.max(epoch, 0);
        } else {
            if (position >= n) {
                order = batchSize == n ? identity(n) : random.permutation(n);
                position = 0;
                epoch++;
            }
            int count = Math.min(batchSize, n - position);
            rows = new int[count];
            System.arraycopy(order, position, rows, 0, count);
            position += count;
        }
        return new Batch(rows(data.inputs(), rows), rows(data.targets(), rows));
    }

    /** The number of completed passes over the data, counting the one under way as started. */
    public long epoch() {
        return Math.max(epoch, 0);
    }

    /** Steps in one epoch. */
    public long stepsPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** A copy of the given rows of a tensor. */
    public static Tensor rows(Tensor source, int[] rows) {
        int width = source.rowSize();
        int[] shape = source.shape();
        shape[0] = rows.length;
        float[] values = source.data();
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(values, rows[i] * width, out, i * width, width);
        }
        return Tensor.wrap(out, shape);
    }

    private static int[] identity(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }
}
