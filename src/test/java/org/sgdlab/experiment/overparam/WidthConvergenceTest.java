package org.sgdlab.experiment.overparam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.RunSpec;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Verdict;
import org.sgdlab.tensor.RandomStream;

class WidthConvergenceTest {
    private final WidthConvergence experiment = new WidthConvergence();

    /**
     * Rows as the experiment writes them, with every measurement a function of the width times a
     * small random factor exp(0.05 z), so that the intervals are neither empty nor wide.
     */
    private static List<Map<String, Object>> rows(
            DoubleUnaryOperator loss, DoubleUnaryOperator distance) {
        RandomStream noise = new RandomStream(5);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long seed = 0; seed < 3; seed++) {
            for (int width = 64; width <= 4096; width *= 2) {
                double m = width;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("run", "m=" + width + "_seed=" + seed);
                row.put("seed", seed);
                row.put("width", width);
                row.put("final_loss", loss.applyAsDouble(m) * jitter(noise));
                row.put("sign_flip_fraction", 0.8 * Math.pow(m, -0.5) * jitter(noise));
                row.put("relative_distance", distance.applyAsDouble(m) * jitter(noise));
                row.put("largest_unit_distance", 20 * Math.pow(m, -0.5) * jitter(noise));
                row.put("kernel_relative_change", 2 * Math.pow(m, -0.6) * jitter(noise));
                row.put("least_eigenvalue_infinite_width", 0.07);
                row.put("least_eigenvalue_initial", 0.07 * (1 - 2 / Math.sqrt(m) * jitter(noise)));
                row.put("least_eigenvalue_final", 0.07 * (1 - 6 / Math.sqrt(m)));
                row.put("loss_at_step_0", 1.0);
                row.put("loss_at_step_10", loss.applyAsDouble(m));
                rows.add(row);
            }
        }
        return rows;
    }

    private static double jitter(RandomStream noise) {
        return Math.exp(0.05 * noise.nextGaussian());
    }

    private List<Verdict> verdicts(List<Map<String, Object>> rows) {
        return experiment.analyze(rows, experiment.settings(Profile.QUICK)).verdicts();
    }

    @Test
    void theoryScalingGivesEveryVerdict() {
        List<Verdict> verdicts = verdicts(rows(m -> 1 / m, m -> 3 * Math.pow(m, -0.5)));

        assertEquals(experiment.claims().size(), verdicts.size());
        for (Verdict verdict : verdicts) {
            assertTrue(verdict.holds(), verdict.claim() + " " + verdict);
        }
        assertEquals(-0.5, verdicts.get(6).value(), 0.05);
        assertEquals(1.0, verdicts.get(4).value(), 0.05);
    }

    @Test
    void distanceFallingLikeOneOverWidthFailsTheExponentClaim() {
        Verdict distance = verdicts(rows(m -> 1 / m, m -> 30 / m)).get(6);

        assertFalse(distance.holds());
        assertEquals(-1.0, distance.value(), 0.05);
    }

    @Test
    void lossGrowingWithWidthFailsTheLossClaim() {
        Verdict loss = verdicts(rows(m -> m / 1000, m -> 3 * Math.pow(m, -0.5))).get(0);

        assertFalse(loss.holds());
        assertTrue(loss.value() > 0.9, "Spearman correlation " + loss.value());
    }

    @Test
    void runsHaveStableIdentifiers() {
        List<RunSpec> runs = experiment.runs(experiment.settings(Profile.QUICK), List.of(3L, 4L));

        assertEquals(16, runs.size());
        assertEquals("m=64_seed=3", runs.get(0).id());
        assertEquals(8192, runs.get(7).integer("width"));
        assertEquals("m=8192_seed=4", runs.get(15).id());
    }

    @Test
    void tinyRunIsDeterministicAndMeasuresEveryProbe() {
        Settings settings =
                experiment
                        .settings(Profile.QUICK)
                        .apply(List.of("train_size=8", "dimension=3", "steps=6", "log_every=3"));
        RunSpec run = new RunSpec("m=32_seed=1", Map.of("width", 32), 1);

        Map<String, Object> first = experiment.execute(run, settings);
        Map<String, Object> second = experiment.execute(run, settings);

        assertEquals(first, second);
        assertEquals("completed", first.get("outcome"));
        assertTrue((Double) first.get("final_loss") < (Double) first.get("initial_loss"));
        assertTrue((Double) first.get("relative_distance") > 0);
        assertTrue((Double) first.get("least_eigenvalue_initial") > 0);
        assertTrue(first.containsKey("loss_at_step_6"));
    }

    @Test
    void unknownSettingListsTheValidKeys() {
        Settings settings = experiment.settings(Profile.QUICK);

        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> settings.set("widht", "64"));

        assertEquals(
                "unknown setting 'widht'; valid keys: " + String.join(", ", settings.keys()),
                error.getMessage());
        assertTrue(error.getMessage().contains("widths, steps, step_size"));
    }

    @Test
    void tooFewWidthsAreRejectedByName() {
        Experiment wide = experiment;
        Settings settings = wide.settings(Profile.QUICK).apply(List.of("widths=64,128"));

        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class, () -> wide.runs(settings, List.of(0L)));

        assertEquals(
                "setting 'widths' needs at least 3 distinct positive integers, got [64, 128]",
                error.getMessage());
    }
}
