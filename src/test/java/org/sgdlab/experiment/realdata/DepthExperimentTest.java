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
import org.sgdlab.experiment.RunSpec;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Verdict;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Mlp;
import org.sgdlab.tensor.RandomStream;

/** Equal parameter counts, the verdict on rows with known answers, and bad settings. */
class DepthExperimentTest {
    private final DepthExperiment experiment = new DepthExperiment();

    @Test
    void parameterCountsMatchTheBuiltNetworks() {
        for (int depth : new int[] {2, 3, 4}) {
            long built = Mlp.relu(7, 13, depth, 2, Init.he(), new RandomStream(1)).parameterCount();
            assertEquals(built, DepthExperiment.parameters(7, 13, depth, 2), "depth " + depth);
        }
    }

    @Test
    void theTwoLayerWidthEqualsTheParameterCount() {
        assertEquals(757, DepthExperiment.twoLayerWidth(4, 64, 1));
        assertEquals(4543, DepthExperiment.parameters(4, 757, 2, 1));
        assertEquals(4545, DepthExperiment.parameters(4, 64, 3, 1));
        for (int inputs : new int[] {1, 4, 10, 100, 784}) {
            for (int width : new int[] {8, 64, 256}) {
                for (int outputs : new int[] {1, 10}) {
                    int two = DepthExperiment.twoLayerWidth(inputs, width, outputs);
                    long twoCount = DepthExperiment.parameters(inputs, two, 2, outputs);
                    long threeCount = DepthExperiment.parameters(inputs, width, 3, outputs);
                    long perUnit = inputs + 1 + outputs;
                    assertTrue(
                            Math.abs(twoCount - threeCount) <= perUnit / 2,
                            "d=" + inputs + " m3=" + width + ": " + twoCount + " vs " + threeCount);
                }
            }
        }
    }

    /** Rows where three layers have test error {@code three} and two layers {@code two[n]}. */
    private static List<Map<String, Object>> rows(int[] sizes, double[][] two, double[][] three) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            for (int seed = 0; seed < two[i].length; seed++) {
                for (int depth : new int[] {2, 3}) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("run", "n=" + sizes[i] + "_depth=" + depth + "_seed=" + seed);
                    row.put("seed", (long) seed);
                    row.put("train_size", sizes[i]);
                    row.put("depth", depth);
                    row.put("width", depth == 2 ? 757 : 64);
                    row.put("parameters", depth == 2 ? 4543L : 4545L);
                    row.put("train_error", 0.01);
                    row.put("test_error", depth == 2 ? two[i][seed] : three[i][seed]);
                    row.put("diverged", false);
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    @Test
    void clearWinsAtMostSizesHold() {
        int[] sizes = {256, 1024, 4096};
        double[][] two = {{0.70, 0.75, 0.72}, {0.40, 0.38, 0.41}, {0.20, 0.19, 0.22}};
        double[][] three = {{0.72, 0.71, 0.74}, {0.10, 0.09, 0.12}, {0.03, 0.02, 0.03}};
        Experiment.Analysis analysis =
                experiment.analyze(rows(sizes, two, three), experiment.settings(Profile.QUICK));
        Verdict overall = analysis.verdicts().get(0);
        assertTrue(overall.holds());
        assertEquals(2 / 3.0, overall.value(), 1e-12);
        assertEquals(1.0, overall.ciHigh(), 1e-12);
        assertFalse(analysis.verdicts().get(1).holds(), "no win at N=256");
        assertEquals(0.88 / 3, analysis.verdicts().get(2).value(), 1e-9);
        assertTrue(analysis.verdicts().get(3).holds());
        assertEquals("depth-test-error", analysis.plots().get(0).name());
        assertTrue(analysis.notes().get(0).contains("757"), analysis.notes().get(0));
    }

    @Test
    void aSingleWinOrAnyLossFails() {
        int[] sizes = {256, 1024, 4096};
        double[][] two = {{0.70, 0.75, 0.72}, {0.40, 0.38, 0.41}, {0.02, 0.01, 0.02}};
        double[][] three = {{0.72, 0.71, 0.74}, {0.10, 0.09, 0.12}, {0.20, 0.19, 0.22}};
        Verdict overall =
                experiment
                        .analyze(rows(sizes, two, three), experiment.settings(Profile.QUICK))
                        .verdicts()
                        .get(0);
        assertFalse(overall.holds());
        assertEquals(1 / 3.0, overall.value(), 1e-12);
        assertEquals(2 / 3.0, overall.ciHigh(), 1e-12);
    }

    @Test
    void aTinySweepRunsEndToEnd() {
        Settings settings =
                experiment
                        .settings(Profile.QUICK)
                        .apply(List.of("train-sizes=64", "test-size=64", "steps=50"));
        List<RunSpec> runs = experiment.runs(settings, List.of(0L));
        assertEquals(2, runs.size());
        assertEquals(2, runs.get(0).integer("depth"));
        Map<String, Object> row = experiment.execute(runs.get(0), settings);
        assertEquals(4543L, ((Number) row.get("parameters")).longValue());
        assertTrue((double) row.get("test_error") > 0);
    }

    @Test
    void badSettingsAreNamed() {
        Settings settings = experiment.settings(Profile.QUICK).set("train-sizes", "16,64");
        var error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> experiment.runs(settings, List.of(0L)));
        assertEquals(
                "every train-sizes value must be at least batch-size 32, got 16",
                error.getMessage());
        Settings zeroWidth = experiment.settings(Profile.QUICK).set("three-layer-width", "0");
        error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> experiment.runs(zeroWidth, List.of(0L)));
        assertEquals("three-layer-width must be positive, got 0", error.getMessage());
        Settings badFrequency = experiment.settings(Profile.QUICK).set("frequency", "0");
        error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> experiment.runs(badFrequency, List.of(0L)));
        assertEquals("frequency must be positive, got 0.0", error.getMessage());
    }
}
