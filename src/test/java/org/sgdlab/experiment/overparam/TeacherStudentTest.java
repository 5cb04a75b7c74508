package org.sgdlab.experiment.overparam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.sgdlab.data.Split;
import org.sgdlab.data.Synthetic;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.RunSpec;
import org.sgdlab.experiment.Settings;
import org.sgdlab.experiment.Verdict;
import org.sgdlab.tensor.RandomStream;

class TeacherStudentTest {
    private final TeacherStudent experiment = new TeacherStudent();

    /**
     * Rows of the quick grid whose teacher gap is gap(N, m) plus an offset per seed, 0.01 (seed -
     * 1), and whose random-label gap is 1.2 plus five times that offset. The offsets are balanced
     * across sizes and widths, so they change no slope but give every interval a width.
     */
    private List<Map<String, Object>> rows(DoubleBinaryOperator gap) {
        Settings settings = experiment.settings(Profile.QUICK);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunSpec run : experiment.runs(settings, List.of(0L, 1L, 2L))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run", run.id());
            row.put("seed", run.seed());
            row.putAll(run.parameters());
            double offset = 0.01 * (run.seed() - 1);
            double value =
                    run.text("labels").equals("random")
                            ? 1.2 + 5 * offset
                            : gap.applyAsDouble(run.number("train_size"), run.number("width"))
                                    + offset;
            row.put("train_loss", 0.01);
            row.put("test_loss", 0.01 + value);
            row.put("gap", value);
            rows.add(row);
        }
        return rows;
    }

    private List<Verdict> verdicts(List<Map<String, Object>> rows) {
        return experiment.analyze(rows, experiment.settings(Profile.QUICK)).verdicts();
    }

    @Test
    void gapFallingWithSizeAndFlatInWidthGivesEveryVerdict() {
        List<Verdict> verdicts = verdicts(rows((n, m) -> 0.8 - 0.1 * Math.log(n)));

        assertEquals(1 + 4 + 1, verdicts.size());
        for (Verdict verdict : verdicts) {
            assertTrue(verdict.holds(), verdict.toString());
        }
        assertEquals(-0.1, verdicts.get(0).value(), 1e-9);
        assertEquals(1.2 - (0.8 - 0.1 * Math.log(256)), verdicts.get(5).value(), 1e-9);
    }

    @Test
    void gapGrowingWithWidthFailsAtEverySize() {
        List<Verdict> verdicts = verdicts(rows((n, m) -> 0.05 * Math.log(m)));

        assertFalse(verdicts.get(0).holds(), "the gap does not fall with N here");
        for (int i = 1; i <= 4; i++) {
            assertFalse(verdicts.get(i).holds(), verdicts.get(i).toString());
            assertEquals(0.05, verdicts.get(i).value(), 1e-9);
        }
    }

    @Test
    void randomAndTeacherLabelsShareTheInputs() {
        RandomStream data = new RandomStream(4).derive("data", 64);
        Split random = Synthetic.randomLabels(64, 10, 5, 0, Synthetic.Inputs.SPHERE, data);
        Split teacher = Synthetic.teacher(64, 10, 5, 3, "sin", 0, 0, Synthetic.Inputs.SPHERE, data);

        assertArrayEquals(random.train().inputs().data(), teacher.train().inputs().data());
        assertArrayEquals(random.test().inputs().data(), teacher.test().inputs().data());
    }

    @Test
    void tinyRunReportsTheGap() {
        Settings settings =
                experiment
                        .settings(Profile.QUICK)
                        .apply(List.of("dimension=3", "test_size=20", "steps=50"));
        RunSpec run =
                new RunSpec(
                        "labels=teacher_n=16_m=32_seed=0",
                        Map.of("labels", "teacher", "train_size", 16, "width", 32),
                        0);

        Map<String, Object> row = experiment.execute(run, settings);

        assertEquals(
                (Double) row.get("test_loss") - (Double) row.get("train_loss"),
                (Double) row.get("gap"),
                1e-12);
        assertEquals(row, experiment.execute(run, settings));
    }

    @Test
    void comparisonOutsideTheGridIsRejected() {
        Settings settings =
                experiment.settings(Profile.QUICK).apply(List.of("random_label_width=300"));

        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> experiment.runs(settings, List.of(0L)));

        assertTrue(error.getMessage().contains("got 256 and 300"), error.getMessage());
    }

    @Test
    void unknownTeacherActivationIsRejected() {
        Settings settings =
                experiment.settings(Profile.QUICK).apply(List.of("teacher_activation=sine"));

        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> experiment.runs(settings, List.of(0L)));

        assertTrue(error.getMessage().contains("'sine'"), error.getMessage());
    }
}
