package org.sgdlab.experiment.realdata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.experiment.Experiments;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.RunSpec;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Sweep;
import org.sgdlab.experiment.SweepListener;

/**
 * Runs one experiment's sweep end to end, for trying an experiment by hand; not a test.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:CLASSPATH \
 *     org.sgdlab.experiment.TrialRun NAME PROFILE FIRST_SEED SEEDS OUT_DIR [KEY=VALUE...]
 * </pre>
 *
 * It prints verdict.json, the notes and the wall time of the sweep.
 */
public final class TrialRun {
    private TrialRun() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println(
                    "usage: TrialRun NAME PROFILE FIRST_SEED SEEDS OUT_DIR [KEY=VALUE...]");
            System.exit(2);
        }
        Experiment experiment = Experiments.named(args[0]);
        Profile profile = Profile.parse(args[1]);
        List<String> overrides = Arrays.asList(args).subList(5, args.length);
        Settings settings = experiment.settings(profile).apply(overrides);
        Path directory = Path.of(args[4]);
        ExperimentResult result =
                new Sweep(
                                experiment,
                                settings,
                                Sweep.seeds(Long.parseLong(args[2]), Integer.parseInt(args[3])),
                                profile.label(),
                                2)
                        .run(
                                directory,
                                new SweepListener() {
                                    @Override
                                    public void runFinished(RunSpec run, int done, int total) {
                                        System.out.println(done + "/" + total + " " + run.id());
                                    }
                                });
        System.out.println(Files.readString(directory.resolve("verdict.json")));
        result.notes().forEach(System.out::println);
        System.out.printf("wall seconds: %.1f%n", result.wallSeconds());
    }
}
