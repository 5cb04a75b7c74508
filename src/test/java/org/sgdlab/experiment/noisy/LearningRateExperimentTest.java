package org.sgdlab.experiment.noisy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.experiment.Plot;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.RunSpec;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Sweep;
import org.sgdlab.experiment.SweepListener;

/** The learning-rate experiments end to end on a tiny scale, and their helpers. */
class LearningRateExperimentTest {
    /** A scale small enough for a unit test: p = 4, N = 40, m = 16, 60 steps. */
    private static Settings tiny(Experiment experiment) {
        return experiment
                .settings(Profile.QUICK)
                .apply(
                        List.of(
                                "dimension=4",
                                "trainSize=40",
                                "testSize=100",
                                "width=16",
                                "logPoints=5"));
    }

    @Test
    void aTinySweepGivesEveryVerdictAndTheCurves(@TempDir Path directory) throws Exception {
        LearningRateExperiment experiment = new LearningRateExperiment();
        Settings settings = tiny(experiment).apply(List.of("stepBudgets=60", "symbolStrengths=2"));
        ExperimentResult result =
                new Sweep(experiment, settings, Sweep.seeds(0, 2), "quick", 1)
                        .run(directory, new SweepListener() {});

        assertEquals(10, result.rows().size());
        assertEquals(experiment.claims().size(), result.verdicts().size());
        assertTrue(result.verdicts().get(1).claim().endsWith("(s = 2.0, T = 60)"));
        Map<String, Object> row = result.rows().get(0);
        int points = Curves.decode(row.get("curve_step")).length;
        assertEquals(points, Curves.decode(row.get("curve_test_sentence-only")).length);
        assertEquals(60, Curves.decode(row.get("curve_step"))[points - 1]);
        assertEquals(1 + 5, result.plots().size());
        assertFalse(result.notes().isEmpty());
    }

    @Test
    void armsOfOneSeedShareDataInitializationAndBatches() {
        LearningRateExperiment experiment = new LearningRateExperiment();
        Settings settings = tiny(experiment).apply(List.of("stepBudgets=60", "symbolStrengths=2"));
        List<RunSpec> runs = experiment.runs(settings, List.of(5L));
        Map<String, Object> decay = experiment.execute(runs.get(0), settings);
        Map<String, Object> constant = experiment.execute(runs.get(3), settings);
        assertEquals("large-decay", runs.get(0).text("arm"));
        assertEquals("large-constant", runs.get(3).text("arm"));
        // the two arms differ only after the decay at step 30: the curves agree up to it
        double[] steps = Curves.decode(decay.get("curve_step"));
        double[] first = Curves.decode(decay.get("curve_test"));
        double[] second = Curves.decode(constant.get("curve_test"));
        for (int i = 0; i < steps.length && steps[i] <= 30; i++) {
            assertEquals(first[i], second[i], 0, "step " + steps[i]);
        }
        assertEquals(
                decay.get("silent_symbol_units_init"), constant.get("silent_symbol_units_init"));
    }

    /**
     * Arm (e): sigma^2 eta_small = (eta_large^2 - eta_small^2) v at c = 1, noise until the end of
     * the first phase and none from it on, and the run records its sigma and v.
     */
    @Test
    void updateNoiseIsMatchedToTheLargeRateAndOnlyInTheFirstPhase() {
        LearningRateExperiment experiment = new LearningRateExperiment();
        Settings settings = tiny(experiment).apply(List.of("stepBudgets=60", "symbolStrengths=2"));
        TwoSignalRun.UpdateNoise noise = LearningRateExperiment.updateNoise(settings, 30);
        double variance = 0.5;
        double sigma = noise.sigma(0.01, variance);
        assertEquals((0.2 * 0.2 - 0.01 * 0.01) * variance, sigma * sigma * 0.01, 1e-12);
        assertEquals(sigma, noise.schedule(sigma).at(0));
        assertEquals(sigma, noise.schedule(sigma).at(29));
        assertEquals(0, noise.schedule(sigma).at(30));
        assertEquals(0, noise.schedule(sigma).at(59));

        List<RunSpec> runs = experiment.runs(settings, List.of(5L));
        RunSpec updateNoise = runs.get(4);
        assertEquals("small-update-noise", updateNoise.text("arm"));
        Map<String, Object> row = experiment.execute(updateNoise, settings);
        double measured = (double) row.get("batch_gradient_variance_init");
        assertTrue(measured > 0);
        assertEquals(noise.sigma(0.01, measured), (double) row.get("update_noise_sigma"), 1e-12);
        Map<String, Object> small = experiment.execute(runs.get(1), settings);
        assertFalse(small.containsKey("update_noise_sigma"));
        assertEquals(small.get("silent_symbol_units_init"), row.get("silent_symbol_units_init"));
    }

    @Test
    void aLargeRateNoLargerThanTheSmallOneCannotSetTheUpdateNoise() {
        TwoSignalRun.UpdateNoise noise = new TwoSignalRun.UpdateNoise(1, 0.01, 30);
        var error = assertThrows(IllegalArgumentException.class, () -> noise.sigma(0.01, 1));
        assertEquals(
                "update noise matched to a larger rate needs eta_large > eta, got 0.01 and 0.01",
                error.getMessage());
    }

    @Test
    void theSweepOverLearningRatesCoversTheGridAndTheControl(@TempDir Path directory)
            throws Exception {
        LearningRateSweepExperiment experiment = new LearningRateSweepExperiment();
        Settings settings =
                tiny(experiment)
                        .apply(
                                List.of(
                                        "steps=60",
                                        "initialLearningRates=0.01,0.1",
                                        "decayFractions=0.5"));
        ExperimentResult result =
                new Sweep(experiment, settings, Sweep.seeds(0, 2), "quick", 2)
                        .run(directory, new SweepListener() {});
        assertEquals(2 * 2 * 2, result.rows().size());
        assertEquals(2, result.verdicts().size());
        assertEquals("test-error-by-learning-rate", result.plots().get(0).name());
        assertEquals(2, result.plots().get(0).series().size());
    }

    @Test
    void theSweepPlotsTheRatesThatFitOnTheirOwnScale() {
        LearningRateSweepExperiment experiment = new LearningRateSweepExperiment();
        Settings settings =
                experiment
                        .settings(Profile.QUICK)
                        .apply(List.of("initialLearningRates=0.01,0.1,0.4", "decayFractions=0.5"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (double rate : new double[] {0.01, 0.1, 0.4}) {
            for (String decay : List.of("0.5", "none")) {
                for (int seed = 0; seed < 3; seed++) {
                    boolean fits = rate < 0.4 || (decay.equals("none") && seed > 0);
                    rows.add(
                            Map.of(
                                    "initialLearningRate",
                                    rate,
                                    "decay",
                                    decay,
                                    "seed",
                                    seed,
                                    "test_error",
                                    (fits ? 0.05 : 0.4) + 0.001 * seed,
                                    "train_error_fittable",
                                    fits ? 0.0 : 0.3,
                                    "mark_train_error_fittable",
                                    0.0,
                                    "silent_symbol_units",
                                    0.1));
                }
            }
        }

        List<Plot> plots = experiment.analyze(rows, settings).plots();

        assertEquals("test-error-by-learning-rate", plots.get(0).name());
        assertArrayEquals(new double[] {0.01, 0.1, 0.4}, plots.get(0).series().get(1).x());
        Plot fitting = plots.get(1);
        assertEquals("test-error-among-fitting-rates", fitting.name());
        assertEquals(2, fitting.series().size());
        for (Plot.Series series : fitting.series()) {
            assertArrayEquals(new double[] {0.01, 0.1}, series.x());
            assertArrayEquals(new double[] {0.051, 0.051}, series.y(), 1e-12);
            assertEquals(2, series.low().length);
        }
    }

    @Test
    void badPhaseFractionsAreNamed() {
        LearningRateExperiment experiment = new LearningRateExperiment();
        Settings settings = tiny(experiment).apply(List.of("decayFraction=1.5"));
        RunSpec run = experiment.runs(settings, List.of(0L)).get(0);
        var error =
                assertThrows(
                        IllegalArgumentException.class, () -> experiment.execute(run, settings));
        assertEquals("decayFraction must be in (0, 1), got 1.5", error.getMessage());
    }

    @Test
    void logStepsAreGeometricAndEvenWithoutRepeats() {
        assertArrayEquals(
                new long[] {0, 3, 10, 25, 32, 50, 75, 100}, StepRecorder.logSteps(100, 4, 25));
    }

    @Test
    void curvesRoundTripAndAverage() {
        String cell = Curves.encode(List.of(0.5, 0.25, 1.0));
        assertEquals("0.5000 0.2500 1.000", cell);
        assertArrayEquals(new double[] {0.5, 0.25, 1.0}, Curves.decode(cell));
        double[] mean = Curves.mean(List.of(Map.of("c", "1 2 3"), Map.of("c", "3 4")), "c");
        assertArrayEquals(new double[] {2, 3}, mean);
    }

    @Test
    void accuracyByGroupCountsEachGroupAndCallsAnEmptyGroupRight() {
        boolean[] correct = {true, false, true, true};
        int[] groups = {0, 0, 1, 1};
        assertArrayEquals(
                new double[] {0.5, 1, 1}, GroupAccuracy.byGroup(correct, groups, 3), 1e-12);
    }
}
