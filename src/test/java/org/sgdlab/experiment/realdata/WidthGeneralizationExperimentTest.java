package org.sgdlab.experiment.realdata;

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
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Verdict;

/** The trend verdicts on rows with known slopes, the table, and bad settings. */
class WidthGeneralizationExperimentTest {
    private final WidthGeneralizationExperiment experiment = new WidthGeneralizationExperiment();

    /** Test error = base + slope * log2(k) + a seed offset; every run fitted unless told. */
    private static List<Map<String, Object>> rows(double base, double slope, boolean allFitted) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int[] multipliers = {1, 2, 4, 8, 16};
        double[] offsets = {-0.004, 0.001, 0.003};
        for (long seed = 0; seed < 3; seed++) {
            for (int k : multipliers) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("run", "mlp_k=" + k + "_seed=" + seed);
                row.put("seed", seed);
                row.put("model", "mlp");
                row.put("multiplier", k);
                row.put("width", 32 * k);
                row.put("parameters", 795L * 32 * k + 10);
                boolean fitted = allFitted || k > 1;
                row.put("fitted", fitted);
                row.put("epochs_to_fit", 50L);
                row.put("train_accuracy", fitted ? 1.0 : 0.99);
                row.put(
                        "test_error",
                        base + slope * (Math.log(k) / Math.log(2)) + offsets[(int) seed]);
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void aFallingErrorHoldsBothTrendClaims() {
        Experiment.Analysis analysis =
                experiment.analyze(rows(0.2, -0.01, true), experiment.settings(Profile.QUICK));
        assertEquals(3, analysis.verdicts().size());
        assertTrue(analysis.verdicts().get(0).holds());
        Verdict noRise = analysis.verdicts().get(1);
        assertEquals(-0.01, noRise.value(), 1e-12);
        assertTrue(noRise.holds());
        assertTrue(analysis.verdicts().get(2).holds());
        assertTrue(
                analysis.notes()
                        .contains(
                                "mlp k=4 (width 128): 101770 parameters; test error 0.1800 (0.1760"
                                        + " to 0.1830); 3 of 3 runs at zero training error,"
                                        + " epochs 50."),
                String.join("\n", analysis.notes()));
        assertEquals(5, analysis.plots().get(0).series().get(0).x().length);
    }

    @Test
    void aFlatErrorDoesNotRiseButDoesNotFall() {
        List<Verdict> verdicts =
                experiment
                        .analyze(rows(0.2, 0, true), experiment.settings(Profile.QUICK))
                        .verdicts();
        assertTrue(verdicts.get(1).holds(), "flat is no rise");
        assertFalse(verdicts.get(2).holds(), "flat is no fall");
    }

    @Test
    void aRisingErrorFailsAndAnUnfittedWidthIsReported() {
        Experiment.Analysis analysis =
                experiment.analyze(rows(0.2, 0.01, false), experiment.settings(Profile.QUICK));
        assertFalse(analysis.verdicts().get(0).holds());
        assertEquals(0.99, analysis.verdicts().get(0).value(), 1e-12);
        assertFalse(analysis.verdicts().get(1).holds());
        assertTrue(
                analysis.notes().stream().anyMatch(n -> n.startsWith("mlp: 3 runs did not reach")),
                String.join("\n", analysis.notes()));
    }

    @Test
    void badSettingsAreNamed() {
        assertEquals(
                "mlp-multipliers must be at least two distinct positive integers, got [1, 1]",
                message(experiment.settings(Profile.QUICK).set("mlp-multipliers", "1,1")));
        assertEquals(
                "cnn-multipliers must be at least two distinct positive integers, got [0, 2]",
                message(experiment.settings(Profile.QUICK).set("cnn-multipliers", "0,2")));
        assertEquals(
                "cnn-base-channels must be positive, got 0",
                message(experiment.settings(Profile.QUICK).set("cnn-base-channels", "0")));
        assertEquals(
                "rise-tolerance must be at least 0, got -0.1",
                message(experiment.settings(Profile.QUICK).set("rise-tolerance", "-0.1")));
        assertTrue(
                message(experiment.settings(Profile.QUICK).set("models", "rnn"))
                        .startsWith("invalid model 'rnn' in setting 'models'"));
    }

    private String message(Settings settings) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () -> experiment.runs(settings, List.of(0L)))
                .getMessage();
    }
}
