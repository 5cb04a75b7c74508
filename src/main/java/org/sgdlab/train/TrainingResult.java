package org.sgdlab.train;

import java.util.List;
import java.util.Map;

/**
 * What a training run produced.
 *
 * @param outcome how it ended
 * @param steps the optimizer steps taken
 * @param history the logged rows of metrics, in order
 * @param finalMetrics the last logged row
 * @param stepsToTarget the first logged step at which the stopping target held, or -1 when the
 *     target was never reached or none was set; see {@link #reachedTarget()}
 * @param divergedAt the step at which the loss became non-finite, or -1; see {@link #diverged()}
 * @param wallSeconds wall-clock time of the run
 */
public record TrainingResult(
        Outcome outcome,
        long steps,
        List<Map<String, Double>> history,
        Map<String, Double> finalMetrics,
        long stepsToTarget,
        long divergedAt,
        double wallSeconds) {

    public boolean reachedTarget() {
        return stepsToTarget >= 0;
    }

    public boolean diverged() {
        return outcome == Outcome.DIVERGED;
    }

    /** A final metric, NaN when absent. */
    public double metric(String name) {
        Double value = finalMetrics.get(name);
        return value == null ? Double.NaN : value;
    }
}
