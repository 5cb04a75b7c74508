package org.sgdlab.experiment.overparam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Runs one experiment end to end from the test classpath, for trying settings before the command
 * line exists: {@code QuickRun NAME OUT_DIR [FIRST_SEED SEEDS THREADS PROFILE] [key=value ...]}.
 * Prints each finished run, then the verdicts and notes.
 */
public final class QuickRun {
    private QuickRun() {}

    public static void main(String[] arguments) throws Exception {
        Experiment experiment = Experiments.named(arguments[0]);
        Path directory = Path.of(arguments[1]);
        long firstSeed = arguments.length > 2 ? Long.parseLong(arguments[2]) : 0;
        int seeds = arguments.length > 3 ? Integer.parseInt(arguments[3]) : 3;
        int threads = arguments.length > 4 ? Integer.parseInt(arguments[4]) : 2;
        Profile profile = arguments.length > 5 ? Profile.parse(arguments[5]) : Profile.QUICK;
        List<String> overrides = new ArrayList<>();
        for (int i = 6; i < arguments.length; i++) {
            overrides.add(arguments[i]);
        }
        Settings settings = experiment.settings(profile).apply(overrides);
        long started = System.nanoTime();
        ExperimentResult result =
                new Sweep(
                                experiment,
                                settings,
                                Sweep.seeds(firstSeed, seeds),
                                profile.label(),
                                threads)
                        .run(
                                directory,
                                new SweepListener() {
                                    @Override
                                    public void runFinished(RunSpec run, int done, int total) {
                                        System.out.printf(
                                                "%3d/%d %s %.0fs%n",
                                                done,
                                                total,
                                                run.id(),
                                                (System.nanoTime() - started) / 1e9);
                                    }
                                });
        System.out.println(Files.readString(directory.resolve("verdict.json")));
        result.notes().forEach(note -> System.out.println("note: " + note));
        System.out.printf("wall %.1f s%n", result.wallSeconds());
    }
}
