package org.sgdlab.experiment.overparam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sgdlab.experiment.Experiment;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.RunSpec;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Verdict;

class MemorizationTest {
    private final Memorization experiment = new Memorization();

    /**
     * Rows in which m_min = N / 4 exactly for depth 2 and N / 16 for depth 3, with one seed off.
     */
    private static List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String task : List.of("classification", "regression")) {
            for (int depth : List.of(2, 3)) {
                for (int size : List.of(32, 64, 128, 256)) {
                    for (long seed = 0; seed < 3; seed++) {
                        int width = size / (depth == 2 ? 4 : 16) * (seed == 1 ? 2 : 1);
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("seed", seed);
                        row.put("task", task);
                        row.put("depth", depth);
                        row.put("train_size", size);
                        row.put("fitted", true);
                        row.put("smallest_width", width);
                        row.put("parameters", width * 10);
                        rows.add(row);
                    }
                }
            }
        }
        return rows;
    }

    @Test
    void linearGrowthGivesExponentOne() {
        List<Verdict> verdicts =
                experiment.analyze(rows(), experiment.settings(Profile.QUICK)).verdicts();

        assertEquals(8, verdicts.size());
        for (Verdict verdict : verdicts) {
            assertTrue(verdict.holds(), verdict.toString());
        }
        assertEquals(1.0, verdicts.get(1).value(), 1e-9);
        assertTrue(verdicts.get(1).ciLow() > 0.5 && verdicts.get(1).ciHigh() < 1.5);
    }

    @Test
    void runWithoutAFittingWidthFailsItsRegimeAndIsNamed() {
        List<Map<String, Object>> rows = rows();
        Map<String, Object> missed = rows.get(11);
        missed.put("fitted", false);
        missed.remove("smallest_width");
        missed.put("best_train_accuracy", 0.97);

        Experiment.Analysis analysis = experiment.analyze(rows, experiment.settings(Profile.QUICK));

        assertFalse(analysis.verdicts().get(0).holds());
        assertEquals(11 / 12.0, analysis.verdicts().get(0).value(), 1e-12);
        assertTrue(analysis.verdicts().get(1).holds());
        assertTrue(analysis.verdicts().get(2).holds());
        assertTrue(
                analysis.notes().get(0).contains("N = 256 (seed 2, best accuracy 0.970)"),
                analysis.notes().get(0));
    }

    @Test
    void constantWidthIsNotAPositiveExponent() {
        List<Map<String, Object>> rows = rows();
        for (Map<String, Object> row : rows) {
            row.put("smallest_width", 8 + ((Number) row.get("seed")).intValue());
        }

        Verdict exponent =
                experiment.analyze(rows, experiment.settings(Profile.QUICK)).verdicts().get(1);

        assertFalse(exponent.holds());
    }

    @Test
    void tinySearchFindsTheFirstFittingWidth() {
        Settings settings =
                experiment
                        .settings(Profile.QUICK)
                        .apply(List.of("dimension=4", "steps=400", "log_every=20"));
        RunSpec run =
                new RunSpec(
                        "task=classification_depth=2_n=8_seed=0",
                        Map.of("task", "classification", "depth", 2, "train_size", 8),
                        0);

        Map<String, Object> row = experiment.execute(run, settings);

        assertEquals(true, row.get("fitted"));
        int width = (Integer) row.get("smallest_width");
        assertEquals(Integer.numberOfTrailingZeros(width), row.get("widths_tried"));
        assertEquals(row, experiment.execute(run, settings));
    }

    @Test
    void unknownTaskIsRejectedWithTheAllowedOnes() {
        Settings settings = experiment.settings(Profile.QUICK).apply(List.of("tasks=regresion"));

        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> experiment.runs(settings, List.of(0L)));

        assertEquals(
                "setting 'tasks' has unknown task 'regresion'; allowed: classification,"
                        + " regression",
                error.getMessage());
    }

    @Test
    void runsCoverEveryTaskDepthSizeAndSeed() {
        List<RunSpec> runs = experiment.runs(experiment.settings(Profile.QUICK), List.of(0L, 1L));

        assertEquals(2 * 2 * 4 * 2, runs.size());
        assertEquals("task=classification_depth=2_n=32_seed=0", runs.get(0).id());
    }
}
