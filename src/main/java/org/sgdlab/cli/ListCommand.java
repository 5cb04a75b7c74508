package org.sgdlab.cli;

import java.util.concurrent.Callable;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.Experiments;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sgdlab list}: the experiments, one line each, or their settings with --settings. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the experiments, one line each.")
final class ListCommand implements Callable<Integer> {
    @Option(
            names = "--settings",
            description = "Also list each experiment's settings with quick and full defaults.")
    boolean withSettings;

    @Override
    public Integer call() {
        int widest = 0;
        for (String name : Experiments.names()) {
            widest = Math.max(widest, name.length());
        }
        for (Experiment experiment : Experiments.all()) {
            System.out.printf(
                    "%-" + widest + "s  %s%n", experiment.name(), experiment.description());
            if (withSettings) {
                Settings quick = experiment.settings(Profile.QUICK);
                Settings full = experiment.settings(Profile.FULL);
                for (String key : quick.keys()) {
                    System.out.printf(
                            "    %s = %s (full: %s): %s%n",
                            key,
                            quick.asMap().get(key),
                            full.asMap().get(key),
                            quick.description(key));
                }
            }
        }
        return 0;
    }
}
