package org.sgdlab.experiment.noisy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Sweep;
import org.sgdlab.experiment.SweepListener;

/** The patch experiment end to end on a few shipped images. */
class PatchExperimentTest {
    private static Settings tiny(PatchExperiment experiment) {
        return experiment
                .settings(Profile.QUICK)
                .apply(
                        List.of(
                                "trainSize=160",
                                "testSize=40",
                                "width=16",
                                "epochs=2",
                                "patchStrengths=0.35",
                                "logPoints=3",
                                "evaluationSize=80"));
    }

    @Test
    void everyArmRunsWithAndWithoutThePatch(@TempDir Path directory) throws Exception {
        PatchExperiment experiment = new PatchExperiment();
        ExperimentResult result =
                new Sweep(experiment, tiny(experiment), Sweep.seeds(0, 2), "quick", 2)
                        .run(directory, new SweepListener() {});

        assertEquals(2 * 4 * 2, result.rows().size());
        assertEquals(experiment.claims().size(), result.verdicts().size());
        for (Map<String, Object> row : result.rows()) {
            double patch = ((Number) row.get("patch_test_accuracy")).doubleValue();
            assertTrue(patch >= 0 && patch <= 1, row.get("run") + ": " + patch);
            assertEquals(10L, ((Number) row.get("steps")).longValue());
        }
        assertEquals(2, result.plots().size());
        assertTrue(result.notes().size() >= 2);
    }

    @Test
    void theShippedSubsetNamesItsSize() {
        PatchExperiment experiment = new PatchExperiment();
        Settings settings = tiny(experiment).apply(List.of("trainSize=5000"));
        var error =
                assertThrows(
                        IllegalArgumentException.class, () -> PatchExperiment.images(settings));
        assertEquals(
                "the shipped subset has 4000 training and 5000 test images, asked for 5000 and 40;"
                        + " use data=full",
                error.getMessage());
    }
}
