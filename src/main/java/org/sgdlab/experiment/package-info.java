/**
 * Experiments: one class per claim, the sweeps that run them over seeds and settings in parallel,
 * and the verdicts computed from their measurements.
 *
 * <p>An {@link org.sgdlab.experiment.Experiment} declares its settings with quick and full
 * defaults, expands them into runs, executes one run at a time when asked, and turns the rows of
 * measurements into verdicts and plot data. {@link org.sgdlab.experiment.Sweep} does the rest:
 * parallelism, resumption, and the result files.
 */
package org.sgdlab.experiment;
