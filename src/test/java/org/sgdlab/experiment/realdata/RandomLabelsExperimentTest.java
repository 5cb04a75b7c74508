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
import org.sgdlab.tensor.RandomStream;

/** The verdicts on rows with known answers, one tiny run, and bad settings. */
class RandomLabelsExperimentTest {
    private final RandomLabelsExperiment experiment = new RandomLabelsExperiment();

    private static Map<String, Object> row(
            String model,
            String corruption,
            Double level,
            long seed,
            long epochs,
            double trainAccuracy,
            double testAccuracy) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run", model + "_" + corruption + "_seed=" + seed);
        row.put("seed", seed);
        row.put("model", model);
        row.put("corruption", corruption);
        if (level != null) {
            row.put("label_level", level);
        }
        row.put("fitted", trainAccuracy >= 1);
        row.put("epochs_to_fit", epochs);
        row.put("train_accuracy", trainAccuracy);
        row.put("test_accuracy", testAccuracy);
        return row;
    }

    /**
     * Three seeds where epochs to fit are 30, 45 and 60 (plus the seed) at label levels 0, 0.5 and
     * 1, test accuracy 0.8, 0.5 and 0.1, and Gaussian inputs fit in 5 epochs.
     */
    private static List<Map<String, Object>> knownRows(double randomTrainAccuracy) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long seed = 0; seed < 3; seed++) {
            rows.add(row("mlp", "true-labels", 0.0, seed, 30 + seed, 1, 0.80 + 0.01 * seed));
            rows.add(row("mlp", "partial-labels:0.5", 0.5, seed, 45 + seed, 1, 0.50 + 0.01 * seed));
            rows.add(
                    row(
                            "mlp",
                            "random-labels",
                            1.0,
                            seed,
                            60 + 2 * seed,
                            seed == 2 ? randomTrainAccuracy : 1,
                            0.09 + 0.01 * seed));
            rows.add(row("mlp", "gaussian", null, seed, 5, 1, 0.1));
        }
        return rows;
    }

    @Test
    void aKnownTrendHoldsOnEveryClaim() {
        Experiment.Analysis analysis =
                experiment.analyze(knownRows(1), experiment.settings(Profile.QUICK));
        assertEquals(5, analysis.verdicts().size());
        for (Verdict verdict : analysis.verdicts()) {
            assertTrue(verdict.holds(), verdict.claim() + ": " + verdict.value());
        }
        Verdict factor =
                analysis.verdicts().stream()
                        .filter(v -> v.statistic().startsWith("epochs to fit random"))
                        .findFirst()
                        .orElseThrow();
        double expected =
                Math.exp((Math.log(60 / 30.0) + Math.log(62 / 31.0) + Math.log(64 / 32.0)) / 3);
        assertEquals(expected, factor.value(), 1e-12);
        assertEquals(2, analysis.plots().size());
        assertTrue(
                analysis.notes()
                        .contains(
                                "mlp, random-labels: 3 of 3 runs fitted; epochs to fit 62 (60 to"
                                        + " 64); final training accuracy 1.000; test accuracy"
                                        + " 0.100 (0.090 to 0.110)."),
                String.join("\n", analysis.notes()));
    }

    @Test
    void aRunThatDidNotFitFailsTheFitClaimAndIsNoted() {
        Experiment.Analysis analysis =
                experiment.analyze(knownRows(0.97), experiment.settings(Profile.QUICK));
        Verdict fit = analysis.verdicts().get(0);
        assertFalse(fit.holds());
        assertEquals(0.97, fit.value(), 1e-12);
        assertTrue(
                analysis.notes().stream().anyMatch(note -> note.contains("a lower bound")),
                String.join("\n", analysis.notes()));
    }

    @Test
    void flatTimesAndAboveChanceAccuracyFail() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long seed = 0; seed < 3; seed++) {
            rows.add(row("mlp", "true-labels", 0.0, seed, 40 + seed, 1, 0.8));
            rows.add(row("mlp", "random-labels", 1.0, seed, 40 + seed, 1, 0.35 + 0.01 * seed));
        }
        Experiment.Analysis analysis = experiment.analyze(rows, experiment.settings(Profile.QUICK));
        List<Verdict> verdicts = analysis.verdicts();
        assertTrue(verdicts.get(0).holds());
        assertFalse(verdicts.get(1).holds(), "time to fit does not grow");
        assertTrue(verdicts.get(2).holds(), "test accuracy still falls");
        assertFalse(verdicts.get(3).holds(), "a factor of 1 is not above 1");
        assertEquals(1, verdicts.get(3).value(), 1e-12);
        assertFalse(verdicts.get(4).holds(), "0.36 is not within 0.1 of chance");
        assertTrue(
                analysis.notes()
                        .contains(
                                "mlp: the interval of the factor reaches down to 1.00, so at 500"
                                        + " training images random labels were not reliably"
                                        + " slower to fit than true labels."),
                String.join("\n", analysis.notes()));
    }

    @Test
    void replicatesPairTrueWithRandomLabelsByReplicate() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long seed = 0; seed < 2; seed++) {
            for (int replicate = 0; replicate < 2; replicate++) {
                long epochs = 20 + 10 * seed + replicate;
                Map<String, Object> truth = row("cnn", "true-labels", 0.0, seed, epochs, 1, 0.8);
                Map<String, Object> random =
                        row("cnn", "random-labels", 1.0, seed, 2 * epochs, 1, 0.1);
                truth.put("replicate", replicate);
                random.put("replicate", replicate);
                rows.add(truth);
                rows.add(random);
            }
        }
        Verdict factor =
                experiment.analyze(rows, experiment.settings(Profile.QUICK)).verdicts().stream()
                        .filter(v -> v.statistic().startsWith("epochs to fit random"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(2, factor.value(), 1e-12, "every pair has ratio 2");
        assertEquals(2, factor.ciLow(), 1e-12);
        assertTrue(factor.holds());
    }

    @Test
    void replicatesRunTrueAndRandomLabelsOnIndependentStreams() {
        Settings settings =
                experiment
                        .settings(Profile.QUICK)
                        .apply(
                                List.of(
                                        "models=mlp",
                                        "factor-replicates=3",
                                        "corruptions=true-labels,gaussian,random-labels"));
        List<RunSpec> runs = experiment.runs(settings, List.of(7L));
        assertEquals(
                List.of(
                        "mlp_true-labels_rep=0_seed=7",
                        "mlp_true-labels_rep=1_seed=7",
                        "mlp_true-labels_rep=2_seed=7",
                        "mlp_gaussian_rep=0_seed=7",
                        "mlp_random-labels_rep=0_seed=7",
                        "mlp_random-labels_rep=1_seed=7",
                        "mlp_random-labels_rep=2_seed=7"),
                runs.stream().map(RunSpec::id).toList());
        long first = RandomLabelsExperiment.root(runs.get(0)).nextLong();
        assertEquals(new RandomStream(7).nextLong(), first);
        assertTrue(first != RandomLabelsExperiment.root(runs.get(1)).nextLong());
        assertEquals(
                "factor-replicates must be positive, got 0",
                message(experiment.settings(Profile.QUICK).set("factor-replicates", "0")));
    }

    @Test
    void aTinyRunFitsGaussianInputs() {
        Settings settings =
                experiment
                        .settings(Profile.QUICK)
                        .apply(
                                List.of(
                                        "train-size=32",
                                        "test-size=50",
                                        "models=mlp",
                                        "mlp-width=64",
                                        "batch-size=16",
                                        "max-epochs=50",
                                        "corruptions=gaussian"));
        List<RunSpec> runs = experiment.runs(settings, List.of(4L));
        assertEquals(1, runs.size(), "only true and random labels are replicated");
        assertEquals("mlp_gaussian_rep=0_seed=4", runs.get(0).id());
        Map<String, Object> row = experiment.execute(runs.get(0), settings);
        assertEquals(true, row.get("fitted"));
        assertEquals(1.0, row.get("train_accuracy"));
        assertEquals(0.0, row.get("changed_labels"));
    }

    @Test
    void badSettingsAreNamed() {
        assertEquals(
                "invalid model 'vit' in setting 'models'; allowed: "
                        + String.join(", ", RandomLabelsExperiment.MODELS),
                message(experiment.settings(Profile.QUICK).set("models", "mlp,vit")));
        assertEquals(
                "setting 'corruptions': unknown corruption 'noise', expected true-labels,"
                        + " partial-labels:P (0 <= P <= 1), random-labels, shuffled-pixels,"
                        + " random-pixels or gaussian",
                message(experiment.settings(Profile.QUICK).set("corruptions", "noise")));
        assertEquals(
                "corruption 'gaussian' appears twice in setting 'corruptions'",
                message(
                        experiment
                                .settings(Profile.QUICK)
                                .set("corruptions", "gaussian,gaussian")));
        assertEquals(
                "invalid value 5000 for setting 'train-size'; allowed: 1 to 4000 with data=subset",
                message(experiment.settings(Profile.QUICK).set("train-size", "5000")));
        assertEquals(
                "invalid value 13 for setting 'image-side'; allowed: 28, 14, 7",
                message(experiment.settings(Profile.QUICK).set("image-side", "13")));
        assertEquals(
                "invalid value 'cloud' for setting 'data'; allowed: subset, files",
                message(experiment.settings(Profile.QUICK).set("data", "cloud")));
        assertEquals(
                "modest-factor must be above 1, got 0.5",
                message(experiment.settings(Profile.QUICK).set("modest-factor", "0.5")));
        assertEquals(
                "momentum must be in [0, 1), got 1.0",
                message(experiment.settings(Profile.QUICK).set("momentum", "1")));
    }

    @Test
    void missingFilesStopTheSweepBeforeItsFirstRun() {
        Settings settings =
                experiment
                        .settings(Profile.FULL)
                        .apply(List.of("data-dir=/nonexistent/fashion-mnist"));
        String message = message(settings);
        assertTrue(
                message.startsWith(
                        "setting data-dir=/nonexistent/fashion-mnist: no Fashion-MNIST files in"),
                message);
    }

    private String message(Settings settings) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () -> experiment.runs(settings, List.of(0L)))
                .getMessage();
    }
}
