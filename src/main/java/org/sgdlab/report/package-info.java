/**
 * The report: figures and the HTML page that shows what the experiments found.
 *
 * <p>{@link org.sgdlab.report.Charts} draws an experiment's plot data with JFreeChart as SVG and
 * PNG files. {@link org.sgdlab.report.HtmlReport} writes one self-contained page, {@code
 * index.html}, with a summary of every verdict and, per experiment, its claims, verdicts with their
 * intervals, figures, observations, results table and provenance. {@link
 * org.sgdlab.report.ResultFiles} reads a finished experiment back from its directory.
 */
package org.sgdlab.report;
