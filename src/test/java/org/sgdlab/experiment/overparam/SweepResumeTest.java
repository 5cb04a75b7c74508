package org.sgdlab.experiment.overparam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.RunSpec;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Sweep;
import org.sgdlab.experiment.SweepListener;

class SweepResumeTest {
    /** The width-convergence experiment, recording which runs it executed. */
    private static final class Counting implements Experiment {
        private final WidthConvergence inner = new WidthConvergence();
        private final Set<String> executed = ConcurrentHashMap.newKeySet();

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public String description() {
            return inner.description();
        }

        @Override
        public List<String> claims() {
            return inner.claims();
        }

        @Override
        public Settings settings(Profile profile) {
            return inner.settings(profile)
                    .apply(
                            List.of(
                                    "train_size=6",
                                    "dimension=3",
                                    "widths=8,16,32",
                                    "steps=4",
                                    "log_every=2",
                                    "bootstrap_resamples=50"));
        }

        @Override
        public List<RunSpec> runs(Settings settings, List<Long> seeds) {
            return inner.runs(settings, seeds);
        }

        @Override
        public Map<String, Object> execute(RunSpec run, Settings settings) {
            executed.add(run.id());
            return inner.execute(run, settings);
        }

        @Override
        public Analysis analyze(List<Map<String, Object>> rows, Settings settings) {
            return inner.analyze(rows, settings);
        }
    }

    @Test
    void stoppedSweepResumesWithOnlyTheRemainingRuns(@TempDir Path directory) throws IOException {
        Counting first = new Counting();
        Settings settings = first.settings(Profile.QUICK);
        List<Long> seeds = Sweep.seeds(0, 2);
        SweepListener stopAfterTwo =
                new SweepListener() {
                    @Override
                    public void runFinished(RunSpec run, int done, int total) {
                        if (done >= 2) {
                            throw new IllegalStateException("stopped after " + done + " runs");
                        }
                    }
                };

        assertThrows(
                IllegalStateException.class,
                () -> new Sweep(first, settings, seeds, "quick", 1).run(directory, stopAfterTwo));
        Set<String> saved = savedRuns(directory);
        assertTrue(saved.size() >= 2 && saved.size() < 6, "saved " + saved);

        Counting second = new Counting();
        ExperimentResult result =
                new Sweep(second, settings, seeds, "quick", 1)
                        .run(directory, new SweepListener() {});

        Set<String> all = new HashSet<>();
        first.runs(settings, seeds).forEach(run -> all.add(run.id()));
        Set<String> remaining = new HashSet<>(all);
        remaining.removeAll(saved);
        assertEquals(remaining, second.executed);
        assertEquals(6, result.rows().size());
        assertEquals(first.claims().size(), result.verdicts().size());
        assertTrue(Files.exists(directory.resolve("verdict.json")));
    }

    private static Set<String> savedRuns(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory.resolve("runs"))) {
            return files.map(path -> path.getFileName().toString().replace(".json", ""))
                    .collect(Collectors.toSet());
        }
    }
}
