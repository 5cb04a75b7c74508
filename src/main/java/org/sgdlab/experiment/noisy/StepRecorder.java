package org.sgdlab.experiment.noisy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.sgdlab.nn.Module;
import org.sgdlab.train.Probe;
import org.sgdlab.train.TrainingListener;

/**
 * Measures a model with probes at chosen steps of a run, as a training listener: denser early,
 * where the order of learning is decided, than the training loop's even log interval allows. Each
 * row has {@code step} and the probes' columns; {@link #finish} records the last step when the run
 * stopped early.
 */
final class StepRecorder implements TrainingListener {
    private final Module model;
    private final List<Probe> probes;
    private final long[] steps;
    private final List<Map<String, Double>> history = new ArrayList<>();
    private int next;

    /** A recorder of the model with the probes at the given steps, in increasing order. */
    StepRecorder(Module model, List<Probe> probes, long[] steps) {
        this.model = model;
        this.probes = List.copyOf(probes);
        this.steps = steps.clone();
    }

    @Override
    public void started(long totalSteps) {
        if (steps.length > 0 && steps[0] == 0) {
            record(0);
            next = 1;
        }
    }

    @Override
    public void stepped(long step) {
        if (next < steps.length && steps[next] == step) {
            record(step);
            next++;
        }
    }

    /** Records the last step if it was not recorded. */
    void finish(long step) {
        if (history.isEmpty() || history.get(history.size() - 1).get("step") != step) {
            record(step);
        }
    }

    List<Map<String, Double>> history() {
        return history;
    }

    private void record(long step) {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("step", (double) step);
        for (Probe probe : probes) {
            row.putAll(probe.measure(model));
        }
        history.add(row);
    }

    /**
     * The steps at which a run is evaluated: 0, round(T^(k / K)) and round(k T / K) for k = 1..K,
     * and the mark step, without repeats, in order.
     */
    static long[] logSteps(long total, int points, long mark) {
        TreeSet<Long> steps = new TreeSet<>();
        steps.add(0L);
        for (int k = 1; k <= points; k++) {
            steps.add(Math.round(Math.pow(total, k / (double) points)));
            steps.add(Math.round(k * (double) total / points));
        }
        if (mark > 0 && mark <= total) {
            steps.add(mark);
        }
        return steps.stream().mapToLong(Long::longValue).toArray();
    }
}
