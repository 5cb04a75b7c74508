package org.sgdlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.Experiments;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Sweep;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sgdlab run}: one experiment by name or from a YAML spec. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description =
                "Run one experiment's sweep and write results.csv, verdict.json, plots and"
                        + " provenance.json.")
final class RunCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "NAME",
            description = "An experiment from `sgdlab list`, or a YAML spec file.")
    String name;

    @Option(names = "--profile", description = "quick or full (default quick, or the spec's).")
    String profile;

    @Option(
            names = "--seeds",
            description = "Number of seeds (default the spec's, or the experiment's: 3 for most).")
    Integer seeds;

    @Option(names = "--first-seed", description = "The first seed (default 0, or the spec's).")
    Long firstSeed;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Override a setting; repeatable. `sgdlab list --settings` shows them.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", description = "Output directory (default results/NAME).")
    Path out;

    @Option(names = "--threads", description = "Runs in parallel (default: the number of cores).")
    Integer threads;

    @Option(names = "--quiet", description = "No progress bar and no verdict lines.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        Spec spec = isSpecFile(name) ? Spec.read(Path.of(name)) : null;
        Experiment experiment = Experiments.named(spec == null ? name : spec.experiment());
        Profile chosen =
                Profile.parse(profile != null ? profile : spec != null ? spec.profile() : "quick");
        List<String> all = new ArrayList<>(spec == null ? List.of() : spec.overrides());
        all.addAll(overrides);
        Settings settings = ExperimentRunner.settings(experiment, chosen, all);
        int seedCount =
                seeds != null
                        ? seeds
                        : spec != null && spec.seeds() != null
                                ? spec.seeds()
                                : experiment.seeds(chosen);
        long first = firstSeed != null ? firstSeed : spec != null ? spec.firstSeed() : 0;
        Path directory =
                out != null
                        ? out
                        : spec != null ? spec.out() : Path.of("results", experiment.name());
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers < 1) {
            throw new UserError("--threads must be positive, got " + workers);
        }
        ExperimentRunner.run(
                experiment,
                chosen,
                settings,
                Sweep.seeds(first, seedCount),
                directory,
                workers,
                quiet);
        return 0;
    }

    private static boolean isSpecFile(String name) {
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            if (!Files.isRegularFile(Path.of(name))) {
                throw new UserError("spec file " + name + " does not exist");
            }
            return true;
        }
        return false;
    }
}
