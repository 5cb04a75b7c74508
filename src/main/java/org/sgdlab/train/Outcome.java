package org.sgdlab.train;

/** How a training run ended. */
public enum Outcome {
    /** The step budget was spent. */
    COMPLETED,
    /** A stopping target (training accuracy or loss) was reached before the budget. */
    TARGET_REACHED,
    /** The loss became NaN or infinite; the run stopped there. */
    DIVERGED
}
