package org.sgdlab.train;

import java.util.Map;

/**
 * Receives the events of a training run. The loop itself logs nothing: listeners print, write files
 * or draw progress bars.
 */
public interface TrainingListener {
    /** Before the first step, with the total step budget. */
    default void started(long totalSteps) {}

    /** After every logged evaluation, with the row of metrics (step, epoch, losses, ...). */
    default void logged(Map<String, Double> metrics) {}

    /** After every optimizer step, for progress bars. */
    default void stepped(long step) {}

    /** Once, at the end. */
    default void finished(TrainingResult result) {}
}
