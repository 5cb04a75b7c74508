package org.sgdlab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.Experiments;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.Sweep;
import org.sgdlab.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sgdlab reproduce}: every experiment of every claim, then the HTML report. */
@Command(
        name = "reproduce",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Run every experiment and write the report DIR/index.html.")
final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--profile", defaultValue = "quick", description = "quick or full.")
    String profile;

    @Option(names = "--out", defaultValue = "results", description = "Output directory.")
    Path out;

    @Option(
            names = "--seeds",
            description = "Seeds per experiment (default each experiment's own: 3 for most).")
    Integer seeds;

    @Option(names = "--first-seed", defaultValue = "0", description = "The first seed.")
    long firstSeed;

    @Option(
            names = "--only",
            split = ",",
            description = "Run only these experiments (comma-separated names).")
    List<String> only;

    @Option(names = "--threads", description = "Runs in parallel (default: the number of cores).")
    Integer threads;

    @Option(names = "--quiet", description = "No progress bars and no verdict lines.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        Profile chosen = Profile.parse(profile);
        List<Experiment> experiments = new ArrayList<>();
        if (only == null) {
            experiments.addAll(Experiments.all());
        } else {
            for (String name : only) {
                experiments.add(Experiments.named(name));
            }
        }
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers < 1 || (seeds != null && seeds < 1)) {
            throw new UserError(
                    "--threads and --seeds must be positive, got " + workers + " and " + seeds);
        }

        long started = System.nanoTime();
        List<Path> directories = new ArrayList<>();
        for (Experiment experiment : experiments) {
            Path directory = out.resolve(experiment.name());
            ExperimentRunner.run(
                    experiment,
                    chosen,
                    experiment.settings(chosen),
                    Sweep.seeds(firstSeed, seeds != null ? seeds : experiment.seeds(chosen)),
                    directory,
                    workers,
                    quiet);
            directories.add(directory);
        }
        Path report = HtmlReport.writeForDirectories(directories, out);
        if (!quiet) {
            System.out.printf(
                    Locale.ROOT,
                    "report: %s (%d %s, %.1f min)%n",
                    report,
                    directories.size(),
                    directories.size() == 1 ? "experiment" : "experiments",
                    (System.nanoTime() - started) / 6e10);
        }
        return 0;
    }
}
