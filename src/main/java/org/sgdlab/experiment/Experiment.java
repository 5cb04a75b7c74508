package org.sgdlab.experiment;

import java.util.List;
import java.util.Map;

/**
 * One claim's experiment. The sweep calls its methods in order: {@link #settings} for the profile,
 * {@link #runs} to expand them, {@link #execute} once per run (on any thread, so it must keep no
 * mutable state), then {@link #analyze} on all rows.
 */
public interface Experiment {
    /** The name used on the command line, in kebab case. */
    String name();

    /** One line saying what it does. */
    String description();

    /** The claims it tests, each a sentence. */
    List<String> claims();

    /**
     * The number of seeds a run uses when none is asked for: 3, unless the experiment's verdicts
     * need more to be decided the same way by other seeds.
     */
    default int seeds(Profile profile) {
        return 3;
    }

    /** The settings with their defaults under the profile. */
    Settings settings(Profile profile);

    /** The runs of the sweep over the given seeds. Identifiers must be unique and stable. */
    List<RunSpec> runs(Settings settings, List<Long> seeds);

    /**
     * Executes one run and returns its measurements: a row of results.csv (the run's parameters are
     * added by the sweep). Numbers, strings and booleans only.
     */
    Map<String, Object> execute(RunSpec run, Settings settings);

    /** Verdicts, plot data and notes from all rows. */
    Analysis analyze(List<Map<String, Object>> rows, Settings settings);

    /** The part of a result computed from the rows. */
    record Analysis(List<Verdict> verdicts, List<Plot> plots, List<String> notes) {}
}
