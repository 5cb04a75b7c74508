package org.sgdlab.experiment.realdata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.sgdlab.nn.Cnn;
import org.sgdlab.nn.Init;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/** The models' shapes, the verdicts on rows with known answers, one tiny run, bad settings. */
class ArchitecturesExperimentTest {
    private final ArchitecturesExperiment experiment = new ArchitecturesExperiment();

    @Test
    void everyModelMapsItsViewOfAnImageToTenScores() {
        RandomStream random = new RandomStream(3);
        ImageModels.Built[] models = {
            ImageModels.mlp(14, 8, 3, random.derive("mlp")),
            ImageModels.cnn(14, 2, random.derive("cnn")),
            ImageModels.resnet(14, 1, 1, random.derive("resnet")),
            ImageModels.rnn(14, 8, random.derive("rnn")),
        };
        int[][] shapes = {{196}, {1, 14, 14}, {1, 14, 14}, {14, 14}};
        for (int i = 0; i < models.length; i++) {
            assertArrayEquals(shapes[i], models[i].featureShape());
            int[] batch = new int[shapes[i].length + 1];
            batch[0] = 2;
            System.arraycopy(shapes[i], 0, batch, 1, shapes[i].length);
            Tensor scores = models[i].module().forward(Tensor.gaussian(random, 1, batch));
            assertArrayEquals(new int[] {2, 10}, scores.shape());
        }
    }

    @Test
    void theCnnWithSixteenChannelsIsTheSmallCnn() {
        assertEquals(
                Cnn.small(1, 28, 28, 10, 1, Init.he(), new RandomStream(1)).parameterCount(),
                ImageModels.cnn(28, 16, new RandomStream(1)).module().parameterCount());
        assertEquals(
                Cnn.small(1, 14, 14, 10, 2, Init.he(), new RandomStream(1)).parameterCount(),
                ImageModels.cnn(14, 32, new RandomStream(1)).module().parameterCount());
    }

    private static List<Map<String, Object>> rows(double rnnAccuracy) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long seed = 0; seed < 3; seed++) {
            for (String architecture : ArchitecturesExperiment.ARCHITECTURES) {
                double accuracy = architecture.equals("rnn") && seed == 1 ? rnnAccuracy : 1;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("run", architecture + "_seed=" + seed);
                row.put("seed", seed);
                row.put("architecture", architecture);
                row.put("parameters", 1000L * (architecture.length()));
                row.put("fitted", accuracy >= 1);
                row.put("epochs_to_fit", 40L + seed);
                row.put("train_accuracy", accuracy);
                row.put("test_accuracy", 0.1);
                row.put("diverged", false);
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void everyArchitectureFittingHolds() {
        Experiment.Analysis analysis =
                experiment.analyze(rows(1), experiment.settings(Profile.QUICK));
        assertEquals(5, analysis.verdicts().size());
        analysis.verdicts().forEach(verdict -> assertTrue(verdict.holds(), verdict.claim()));
        assertTrue(
                analysis.notes()
                        .contains(
                                "rnn: 3000 parameters; 3 of 3 seeds fitted; epochs 41 (40 to 42);"
                                        + " final training accuracy 1.000; test accuracy 0.100."),
                String.join("\n", analysis.notes()));
    }

    @Test
    void oneUnfittedSeedFailsItsArchitectureAndTheClaim() {
        Experiment.Analysis analysis =
                experiment.analyze(rows(0.955), experiment.settings(Profile.QUICK));
        assertFalse(analysis.verdicts().get(0).holds());
        assertEquals(0.955, analysis.verdicts().get(0).value(), 1e-12);
        Verdict rnn = analysis.verdicts().get(4);
        assertEquals("The rnn fits random labels", rnn.claim());
        assertFalse(rnn.holds());
        assertTrue(analysis.verdicts().get(1).holds());
    }

    @Test
    void aTinyRunFitsRandomLabels() {
        Settings settings =
                experiment
                        .settings(Profile.QUICK)
                        .apply(
                                List.of(
                                        "train-size=16",
                                        "test-size=20",
                                        "image-side=7",
                                        "architectures=rnn",
                                        "rnn-hidden=64",
                                        "batch-size=8",
                                        "max-epochs=200"));
        List<RunSpec> runs = experiment.runs(settings, List.of(1L));
        Map<String, Object> row = experiment.execute(runs.get(0), settings);
        assertEquals(true, row.get("fitted"), row.toString());
    }

    @Test
    void badSettingsAreNamed() {
        assertEquals(
                "invalid architecture 'transformer' in setting 'architectures'; allowed: each of"
                        + " mlp, cnn, resnet, rnn at most once",
                message(
                        experiment
                                .settings(Profile.QUICK)
                                .set("architectures", "mlp,transformer")));
        assertEquals(
                "rnn-hidden must be positive, got 0",
                message(experiment.settings(Profile.QUICK).set("rnn-hidden", "0")));
        assertEquals(
                "learning-rate must be positive, got 0.0",
                message(experiment.settings(Profile.QUICK).set("rnn-learning-rate", "0")));
    }

    private String message(Settings settings) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () -> experiment.runs(settings, List.of(0L)))
                .getMessage();
    }
}
