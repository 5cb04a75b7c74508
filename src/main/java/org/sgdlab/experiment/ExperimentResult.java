package org.sgdlab.experiment;

import java.util.List;
import java.util.Map;

/**
 * Everything an experiment produced: what the report needs to show it.
 *
 * @param name the experiment's name
 * @param description its one-line description
 * @param claims the claims it tests, in words
 * @param profile the profile it ran under
 * @param settings the settings after overrides
 * @param seeds the seeds of the sweep
 * @param rows one row of parameters and measurements per run, as in results.csv
 * @param verdicts one per claim and regime
 * @param plots the figures' data
 * @param notes observations in words computed from the numbers (what happens instead, when a claim
 *     does not hold), for the report
 * @param wallSeconds wall-clock time of the sweep, runs read back from disk not counted
 * @param runsReadBack how many of the rows were read back from an earlier sweep into the same
 *     directory (one that stopped, or finished) rather than run by this one
 */
public record ExperimentResult(
        String name,
        String description,
        List<String> claims,
        String profile,
        Map<String, Object> settings,
        List<Long> seeds,
        List<Map<String, Object>> rows,
        List<Verdict> verdicts,
        List<Plot> plots,
        List<String> notes,
        double wallSeconds,
        int runsReadBack) {}
