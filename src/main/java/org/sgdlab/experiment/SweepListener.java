package org.sgdlab.experiment;

/** Receives the progress of a sweep, for progress bars and logs. */
public interface SweepListener {
    /** Before the first run: how many runs there are and how many were found finished on disk. */
    default void started(String experiment, int total, int resumed) {}

    /** After each run finishes, on the thread that ran it. */
    default void runFinished(RunSpec run, int done, int total) {}

    /** After the analysis. */
    default void finished(ExperimentResult result) {}
}
