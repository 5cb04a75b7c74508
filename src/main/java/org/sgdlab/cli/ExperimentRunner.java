package org.sgdlab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Sweep;
import org.sgdlab.experiment.SweepListener;
import org.sgdlab.experiment.Verdict;
import org.sgdlab.report.Charts;

/** Runs one experiment's sweep into a directory and prints its verdicts, for run and reproduce. */
final class ExperimentRunner {
    private ExperimentRunner() {}

    /** Settings of the experiment under the profile, with the overrides applied. */
    static Settings settings(Experiment experiment, Profile profile, List<String> overrides) {
        return experiment.settings(profile).apply(overrides);
    }

    static ExperimentResult run(
            Experiment experiment,
            Profile profile,
            Settings settings,
            List<Long> seeds,
            Path out,
            int threads,
            boolean quiet)
            throws IOException {
        SweepListener listener =
                Progress.enabled(quiet) ? new Progress.Sweep() : new SweepListener() {};
        Sweep sweep = new Sweep(experiment, settings, seeds, profile.label(), threads);
        ExperimentResult result = sweep.run(out, listener);
        Charts.renderAll(result, out);
        if (!quiet) {
            print(result, out);
        }
        return result;
    }

    private static void print(ExperimentResult result, Path out) {
        System.out.printf(
                Locale.ROOT,
                "%s: %d runs in %.1f s%s -> %s%n",
                result.name(),
                result.rows().size(),
                result.wallSeconds(),
                result.runsReadBack() == 0
                        ? ""
                        : " (" + result.runsReadBack() + " read back from an earlier sweep)",
                out);
        for (Verdict verdict : result.verdicts()) {
            System.out.printf(
                    Locale.ROOT,
                    "  %-15s %s: %s = %.4g [%.4g, %.4g]%n",
                    verdict.holds() ? "holds" : "does not hold",
                    verdict.claim(),
                    verdict.statistic(),
                    verdict.value(),
                    verdict.ciLow(),
                    verdict.ciHigh());
        }
    }
}
