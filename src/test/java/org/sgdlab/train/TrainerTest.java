package org.sgdlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.data.Split;
import org.sgdlab.data.Synthetic;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Mlp;
import org.sgdlab.nn.Sequential;
import org.sgdlab.optim.Sgd;
import org.sgdlab.tensor.RandomStream;

/** The training loop: memorization, divergence as an outcome, reproducibility. */
class TrainerTest {
    private static TrainingResult train(long seed, double learningRate, int width, long steps) {
        RandomStream root = new RandomStream(seed);
        Split split =
                Synthetic.randomLabels(
                        64, 32, 16, 4, Synthetic.Inputs.GAUSSIAN, root.derive("data"));
        Sequential model = Mlp.relu(16, width, 2, 4, Init.he(), root.derive("init"));
        return Trainer.builder(
                        model,
                        Loss.CROSS_ENTROPY,
                        new Sgd(model.parameters(), learningRate),
                        split.train())
                .test(split.test())
                .batchSize(8)
                .steps(steps)
                .logEvery(8)
                .random(root.derive("batches"))
                .stopAtTrainAccuracy(1.0)
                .build()
                .run();
    }

    @Test
    void aWideNetworkMemorizesRandomLabels() {
        TrainingResult result = train(3, 0.05, 512, 2000);
        assertEquals(Outcome.TARGET_REACHED, result.outcome());
        assertEquals(1.0, result.metric("train_accuracy"));
        assertTrue(result.metric("test_accuracy") < 0.6, "random labels cannot generalize");
    }

    @Test
    void aDivergedRunIsAResult() {
        TrainingResult result = train(3, 1e6, 64, 200);
        assertEquals(Outcome.DIVERGED, result.outcome());
        assertTrue(result.divergedAt() >= 0 && result.divergedAt() < 200);
    }

    @Test
    void theSameSeedGivesTheSameHistory(@TempDir Path directory) throws Exception {
        TrainingResult first = train(11, 0.05, 128, 64);
        TrainingResult second = train(11, 0.05, 128, 64);
        assertEquals(RunFiles.metricsCsv(first.history()), RunFiles.metricsCsv(second.history()));
        TrainingResult other = train(12, 0.05, 128, 64);
        assertTrue(
                !RunFiles.metricsCsv(first.history()).equals(RunFiles.metricsCsv(other.history())));

        RunFiles.write(directory, first, 11, Map.of("width", 128));
        String header = Files.readAllLines(directory.resolve("metrics.csv")).get(0);
        assertEquals(
                "step,epoch,learning_rate,train_loss,train_accuracy,test_loss,test_accuracy",
                header);
        assertTrue(Files.readString(directory.resolve("summary.json")).contains("\"seed\" : 11"));
        assertTrue(Files.exists(directory.resolve("provenance.json")));
    }
}
