package org.sgdlab.bench;

import java.util.Arrays;

/**
 * Times pieces of work: warm-up until the JIT has compiled them, then several trials of at least a
 * minimum duration each; a time is the median over the trials of the time per call.
 *
 * <p>Work that is compared is timed in interleaved trials (one trial of each in turn, repeated), so
 * that a slow spell of the machine falls on all of them alike, and a ratio is the median of the
 * per-trial ratios rather than the ratio of two medians taken at different times.
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
        return interleaved(work).median(0);
    }

    /** Microseconds per call of each piece of work, from trials that take turns. */
    public Trials interleaved(Runnable... works) {
        for (Runnable work : works) {
            repeatFor(work, warmupSeconds);
        }

        double[][] perCall = new double[works.length][trials];
        for (int trial = 0; trial < trials; trial++) {
            for (int index = 0; index < works.length; index++) {
                perCall[index][trial] = repeatFor(works[index], trialSeconds);
            }
        }
        return new Trials(perCall);
    }

    /** Microseconds per call, {@code perCall[work][trial]}. */
    public record Trials(double[][] perCall) {
        /** The median time per call of one piece of work. */
        public double median(int work) {
            return Timer.median(perCall[work].clone());
        }

        /**
         * The median over trials of the time of {@code numerator} over that of {@code denominator}.
         */
        public double medianRatio(int numerator, int denominator) {
            double[] ratios = new double[perCall[numerator].length];
            for (int trial = 0; trial < ratios.length; trial++) {
                ratios[trial] = perCall[numerator][trial] / perCall[denominator][trial];
            }
            return Timer.median(ratios);
        }
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
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
