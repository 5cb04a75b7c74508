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
    void clearWinsPooledOverSizesHoldAndTheSizeWhereNeitherLearnsIsNoted() {
        int[] sizes = {256, 1024, 4096};
        double[][] two = {{0.70, 0.75, 0.72}, {0.40, 0.38, 0.41}, {0.20, 0.19, 0.22}};
        double[][] three = {{0.72, 0.71, 0.74}, {0.10, 0.09, 0.12}, {0.03, 0.02, 0.03}};
        Experiment.Analysis analysis =
                experiment.analyze(rows(sizes, two, three), experiment.settings(Profile.QUICK));
        Verdict overall = analysis.verdicts().get(0);
        assertTrue(overall.holds());
        assertEquals((0 + 0.88 / 3 + 0.53 / 3) / 3, overall.value(), 1e-9);
        assertTrue(overall.ciLow() > 0, "pooled interval " + overall.ciLow());
        assertFalse(analysis.verdicts().get(1).holds(), "no win at N=256");
        assertEquals(0.88 / 3, analysis.verdicts().get(2).value(), 1e-9);
        assertTrue(analysis.verdicts().get(3).holds());
        assertEquals("depth-test-error", analysis.plots().get(0).name());
        assertTrue(analysis.notes().get(0).contains("757"), analysis.notes().get(0));
        assertTrue(
                analysis.notes()
                        .contains(
                                "N=256: neither network learns the target (both mean test"
                                        + " errors above 0.5 of the variance of y), so depth has"
                                        + " nothing to show at this size."),
                String.join("\n", analysis.notes()));
    }

    @Test
    void poolingDecidesWhereNoSizeAloneDoes() {
        int[] sizes = {256, 1024, 4096};
        double[][] two = new double[3][];
        double[][] three = new double[3][];
        for (int i = 0; i < 3; i++) {
            three[i] = new double[] {0.20, 0.20, 0.20};
            two[i] = new double[] {0.25, 0.21, 0.29};
        }
        List<Verdict> verdicts =
                experiment
                        .analyze(rows(sizes, two, three), experiment.settings(Profile.QUICK))
                        .verdicts();
        for (int i = 1; i <= 3; i++) {
            assertFalse(verdicts.get(i).holds(), "t(2) interval at one size includes 0");
        }
        Verdict overall = verdicts.get(0);
        assertTrue(overall.holds(), overall.ciLow() + " to " + overall.ciHigh());
        assertEquals(0.05, overall.value(), 1e-9);
        // Three equal groups: V = 0.04^2 / 9, nu = 6, t = 2.447.
        assertEquals(0.05 - 2.4469 * 0.04 / 3, overall.ciLow(), 1e-4);
    }

    @Test
    void aLossAtAnySizeFailsEvenWhenThePooledDifferenceIsPositive() {
        int[] sizes = {256, 1024, 4096};
        double[][] two = {{0.70, 0.75, 0.72}, {0.40, 0.38, 0.41}, {0.15, 0.14, 0.16}};
        double[][] three = {{0.72, 0.71, 0.74}, {0.10, 0.09, 0.12}, {0.20, 0.19, 0.22}};
        Verdict overall =
                experiment
                        .analyze(rows(sizes, two, three), experiment.settings(Profile.QUICK))
                        .verdicts()
                        .get(0);
        assertTrue(overall.value() > 0, "pooled " + overall.value());
        assertFalse(overall.holds());
    }

    @Test
    void replicatesArePairedWithinTheirSeed() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int replicate = 0; replicate < 2; replicate++) {
            for (int depth : new int[] {2, 3}) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("seed", 0L);
                row.put("replicate", replicate);
                row.put("train_size", 1024);
                row.put("depth", depth);
                row.put("test_error", depth == 3 ? 0.1 : replicate == 0 ? 0.3 : 0.5);
                row.put("diverged", false);
                rows.add(row);
            }
        }
        Verdict atSize =
                experiment.analyze(rows, experiment.settings(Profile.QUICK)).verdicts().get(1);
        assertEquals(0.3, atSize.value(), 1e-12);
    }

    @Test
    void aTinySweepRunsEndToEnd() {
        Settings settings =
                experiment
                        .settings(Profile.QUICK)
                        .apply(List.of("train-sizes=64", "test-size=64", "steps=50"));
        List<RunSpec> runs = experiment.runs(settings, List.of(0L));
        assertEquals(4, runs.size(), "two replicates of two networks");
        assertEquals("n=64_rep=0_depth=2_seed=0", runs.get(0).id());
        assertEquals("n=64_rep=1_depth=3_seed=0", runs.get(3).id());
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
