package org.sgdlab.optim;

import java.util.Arrays;
import java.util.Locale;

/**
 * A value as a function of the optimizer step t = 0, 1, 2, ...: a learning rate, or the scale of
 * injected noise. The value at step t is the one used by the t-th call of {@code step()}.
 */
@FunctionalInterface
public interface Schedule {
    /** The value at step t. */
    double at(long step);

    /** The same value at every step. */
    static Schedule constant(double value) {
        return step -> value;
    }

    /**
     * Step decay: base * prod of the factors of every milestone reached, that is base times
     * factors[0] from step milestones[0] on, times factors[1] too from milestones[1] on, and so on.
     */
    static Schedule stepDecay(double base, long[] milestones, double[] factors) {
        if (milestones.length != factors.length) {
            throw new IllegalArgumentException(
                    "step decay needs one factor per milestone, got "
                            + milestones.length
                            + " milestones and "
                            + factors.length
                            + " factors");
        }
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] <= milestones[i - 1]) {
                throw new IllegalArgumentException(
                        "milestones must increase, got " + Arrays.toString(milestones));
            }
        }
        long[] steps = milestones.clone();
        double[] multipliers = factors.clone();
        return step -> {
            double value = base;
            for (int i = 0; i < steps.length && step >= steps[i]; i++) {
                value *= multipliers[i];
            }
            return value;
        };
    }

    /** base before the given step, base * factor from it on. */
    static Schedule drop(double base, long atStep, double factor) {
        return stepDecay(base, new long[] {atStep}, new double[] {factor});
    }

    /**
     * Cosine annealing from base to floor over total steps: floor + (base - floor) (1 + cos(pi t /
     * total)) / 2, and floor after.
     */
    static Schedule cosine(double base, double floor, long total) {
        if (total <= 0) {
            throw new IllegalArgumentException("cosine schedule needs total > 0, got " + total);
        }
        return step ->
                step >= total
                        ? floor
                        : floor + (base - floor) * (1 + Math.cos(Math.PI * step / total)) / 2;
    }

    /** Linear warm-up: (t + 1) / steps times the wrapped value for t < steps, then the value. */
    static Schedule warmup(Schedule after, long steps) {
        return step -> step < steps ? after.at(step) * (step + 1) / steps : after.at(step);
    }

    /** The wrapped value for t < end, then 0: a phase that switches off. */
    static Schedule until(Schedule during, long end) {
        return step -> step < end ? during.at(step) : 0;
    }

    /** A linear ramp from start at step 0 to stop at step total, then stop. */
    static Schedule linear(double start, double stop, long total) {
        return step -> step >= total ? stop : start + (stop - start) * step / (double) total;
    }

    /**
     * The schedule of a command-line spec: {@code constant}, {@code step:M1:F1,M2:F2}, {@code
     * cosine:TOTAL} (to zero) or {@code drop:STEP:FACTOR}, applied to the base value.
     */
    static Schedule parse(String spec, double base) {
        String text = spec.toLowerCase(Locale.ROOT).trim();
        try {
            if (text.equals("constant")) {
                return constant(base);
            }
            if (text.startsWith("drop:")) {
                String[] parts = text.split(":");
                return drop(base, Long.parseLong(parts[1]), Double.parseDouble(parts[2]));
            }
            if (text.startsWith("cosine:")) {
                return cosine(base, 0, Long.parseLong(text.substring(7)));
            }
            if (text.startsWith("step:")) {
                String[] pairs = text.substring(5).split(",");
                long[] milestones = new long[pairs.length];
                double[] factors = new double[pairs.length];
                for (int i = 0; i < pairs.length; i++) {
                    String[] pair = pairs[i].split(":");
                    milestones[i] = Long.parseLong(pair[0]);
                    factors[i] = Double.parseDouble(pair[1]);
                }
                return stepDecay(base, milestones, factors);
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // reported below with the allowed forms
        }
        throw new IllegalArgumentException(
                "invalid schedule '"
                        + spec
                        + "'; allowed: constant, drop:STEP:FACTOR,"
                        + " step:STEP:FACTOR[,STEP:FACTOR]..., cosine:TOTAL_STEPS");
    }
}
