package org.sgdlab.tensor;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A seeded stream of random numbers from which independent named streams are derived.
 *
 * <p>Every consumer of randomness (initialization, data generation, batch order, noise) derives its
 * own stream with {@link #derive(String)}, so adding a consumer never shifts the numbers of
 * another, and the same seed gives the same numbers on every machine. Derivation mixes the parent
 * seed with a 64-bit hash of the label through the SplitMix64 finalizer.
 */
public final class RandomStream {
    private final long seed;
    private final SplittableRandom random;

    public RandomStream(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The seed this stream was created from. */
    public long seed() {
        return seed;
    }

    /** An independent stream for the named purpose, fixed by this stream's seed and the label. */
    public RandomStream derive(String label) {
        long hash = 1125899906842597L;
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            hash = 31 * hash + b;
        }
        return new RandomStream(mix(seed ^ mix(hash)));
    }

    /** An independent stream for the purpose and index, for example one per run of a sweep. */
    public RandomStream derive(String label, long index) {
        return derive(label + "#" + index);
    }

    /** A sample of N(0, 1). */
    public double nextGaussian() {
        return random.nextGaussian();
    }

    /** A sample of U[0, 1). */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** A uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A uniform long. */
    public long nextLong() {
        return random.nextLong();
    }

    /** True with probability p. */
    public boolean nextBoolean(double p) {
        return random.nextDouble() < p;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order);
        return order;
    }

    /** Shuffles the array in place (Fisher-Yates). */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
