package org.sgdlab.bench;

import java.util.Arrays;

/**
 * Times a piece of work: warm-up until the JIT has compiled it, then several trials of at least a
 * minimum duration each; the result is the median time per call over the trials.
 */
public final class Timer {
    private final double warmupSeconds;
    private final double trialSeconds;
    private final int trials;

    public Timer(double warmupSeconds, double trialSeconds, int trials) {
        this.warmupSeconds = warmupSeconds;
        this.trialSeconds = trialSeconds;
        this.trials = trials;
    }

    /** Median microseconds per call of the work. */
    public double microseconds(Runnable work) {
        repeatFor(work, warmupSeconds);
        double[] perCall = new double[trials];
        for (int trial = 0; trial < trials; trial++) {
            perCall[trial] = repeatFor(work, trialSeconds);
        }
        Arrays.sort(perCall);
        return perCall[trials / 2];
    }

    private static double repeatFor(Runnable work, double seconds) {
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long calls = 0;
        long elapsed;
        do {
            work.run();
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        return elapsed / 1e3 / calls;
    }
}
