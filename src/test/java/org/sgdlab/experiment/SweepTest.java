package org.sgdlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.tensor.Gemm;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/** The sweep: parallel runs, result files, resumption, settings. */
class SweepTest {
    /** y = slope * x + seed / 1000 over a grid of x; the verdict tests the slope's sign. */
    static final class Line implements Experiment {
        final Set<String> executed = ConcurrentHashMap.newKeySet();
        volatile String failOn;

        @Override
        public String name() {
            return "line";
        }

        @Override
        public String description() {
            return "A line through known points.";
        }

        @Override
        public List<String> claims() {
            return List.of("y falls with x");
        }

        @Override
        public Settings settings(Profile profile) {
            return new Settings()
                    .define("xs", List.of(1, 2, 3, 4), "the grid of x")
                    .define("slope", -2.0, "the true slope");
        }

        @Override
        public List<RunSpec> runs(Settings settings, List<Long> seeds) {
            List<RunSpec> runs = new ArrayList<>();
            for (long seed : seeds) {
                for (int x : settings.integers("xs")) {
                    runs.add(new RunSpec("x=" + x + "_seed=" + seed, Map.of("x", x), seed));
                }
            }
            return runs;
        }

        @Override
        public Map<String, Object> execute(RunSpec run, Settings settings) {
            if (run.id().equals(failOn)) {
                throw new IllegalStateException("stopped at " + run.id());
            }
            executed.add(run.id());
            return Map.of("y", settings.number("slope") * run.integer("x") + run.seed() / 1000.0);
        }

        @Override
        public Analysis analyze(List<Map<String, Object>> rows, Settings settings) {
            double[] x =
                    rows.stream().mapToDouble(r -> ((Number) r.get("x")).doubleValue()).toArray();
            double[] y =
                    rows.stream().mapToDouble(r -> ((Number) r.get("y")).doubleValue()).toArray();
            Statistics.Estimate slope = Statistics.slope(x, y, 0.95);
            return new Analysis(
                    List.of(
                            new Verdict(
                                    claims().get(0),
                                    "slope of y on x",
                                    slope.value(),
                                    slope.low(),
                                    slope.high(),
                                    slope.below(0),
                                    "upper end below 0")),
                    List.of(),
                    List.of());
        }
    }

    /** One OpenBLAS product per run, whose bits OpenBLAS sums differently on two threads. */
    static final class Product implements Experiment {
        @Override
        public String name() {
            return "product";
        }

        @Override
        public String description() {
            return "A 64 x 784 by 784 x 512 product of random matrices.";
        }

        @Override
        public List<String> claims() {
            return List.of("the product is finite");
        }

        @Override
        public Settings settings(Profile profile) {
            return new Settings().define("rows", 64, "rows of the first factor");
        }

        @Override
        public List<RunSpec> runs(Settings settings, List<Long> seeds) {
            List<RunSpec> runs = new ArrayList<>();
            for (long seed : seeds) {
                runs.add(new RunSpec("seed=" + seed, Map.of(), seed));
            }
            return runs;
        }

        @Override
        public Map<String, Object> execute(RunSpec run, Settings settings) {
            RandomStream random = new RandomStream(run.seed());
            int m = settings.integer("rows");
            float[] a = Tensor.gaussian(random, 1, m * 784).data();
            float[] b = Tensor.gaussian(random, 1, 784 * 512).data();
            float[] c = new float[m * 512];
            Gemm.blas(false, false, m, 512, 784, 1f, a, b, 0f, c);
            return Map.of("bits", Arrays.hashCode(c));
        }

        @Override
        public Analysis analyze(List<Map<String, Object>> rows, Settings settings) {
            return new Analysis(List.of(), List.of(), List.of());
        }
    }

    @Test
    void aRunGivesTheSameBitsWhateverTheNumberOfWorkers(@TempDir Path directory) throws Exception {
        Product product = new Product();
        Settings settings = product.settings(Profile.QUICK);
        ExperimentResult alone =
                new Sweep(product, settings, Sweep.seeds(0, 2), "quick", 1)
                        .run(directory.resolve("alone"), new SweepListener() {});
        ExperimentResult beside =
                new Sweep(product, settings, Sweep.seeds(0, 2), "quick", 2)
                        .run(directory.resolve("beside"), new SweepListener() {});

        assertEquals(2, alone.rows().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(alone.rows().get(i).get("bits"), beside.rows().get(i).get("bits"));
        }
    }

    @Test
    void writesResultsAndComputesTheVerdict(@TempDir Path directory) throws Exception {
        Line line = new Line();
        ExperimentResult result =
                new Sweep(line, line.settings(Profile.QUICK), Sweep.seeds(0, 2), "quick", 2)
                        .run(directory, new SweepListener() {});
        assertEquals(8, result.rows().size());
        assertEquals(0, result.runsReadBack());
        assertEquals(-2, result.verdicts().get(0).value(), 1e-6);
        assertTrue(result.verdicts().get(0).holds());
        List<String> csv = Files.readAllLines(directory.resolve("results.csv"));
        assertEquals("run,seed,x,y", csv.get(0));
        assertEquals("x=1_seed=0,0,1,-2", csv.get(1));
        String verdicts = Files.readString(directory.resolve("verdict.json"));
        for (String field :
                new String[] {"claim", "statistic", "value", "ci_low", "ci_high", "holds"}) {
            assertTrue(verdicts.contains("\"" + field + "\" : "), field);
        }
        assertTrue(verdicts.contains("\"holds\" : true"));
        assertTrue(Files.exists(directory.resolve("provenance.json")));
    }

    @Test
    void aStoppedSweepResumesWithTheRunsItLacks(@TempDir Path directory) throws Exception {
        Line line = new Line();
        line.failOn = "x=3_seed=1";
        Settings settings = line.settings(Profile.QUICK);
        assertThrows(
                IllegalStateException.class,
                () ->
                        new Sweep(line, settings, Sweep.seeds(0, 2), "quick", 1)
                                .run(directory, new SweepListener() {}));
        List<String> stored = new ArrayList<>();
        try (var files = Files.list(directory.resolve("runs"))) {
            files.forEach(file -> stored.add(file.getFileName().toString().replace(".json", "")));
        }
        assertTrue(stored.size() >= 1 && stored.size() < 8, "stored " + stored);

        Line again = new Line();
        ExperimentResult result =
                new Sweep(again, settings, Sweep.seeds(0, 2), "quick", 1)
                        .run(directory, new SweepListener() {});
        assertEquals(8, result.rows().size());
        assertEquals(8 - stored.size(), again.executed.size());
        assertEquals(stored.size(), result.runsReadBack());
        for (String id : stored) {
            assertTrue(!again.executed.contains(id), id + " was stored and ran again");
        }
    }

    @Test
    void changedSettingsDiscardStoredRuns(@TempDir Path directory) throws Exception {
        Line line = new Line();
        new Sweep(line, line.settings(Profile.QUICK), Sweep.seeds(0, 1), "quick", 1)
                .run(directory, new SweepListener() {});
        Line steeper = new Line();
        Settings changed = steeper.settings(Profile.QUICK).set("slope", "-3");
        ExperimentResult result =
                new Sweep(steeper, changed, Sweep.seeds(0, 1), "quick", 1)
                        .run(directory, new SweepListener() {});
        assertEquals(4, steeper.executed.size());
        assertEquals(-3, result.verdicts().get(0).value(), 1e-6);
    }

    @Test
    void unknownKeysAndBadValuesAreNamed() {
        Settings settings = new Line().settings(Profile.QUICK);
        var error = assertThrows(IllegalArgumentException.class, () -> settings.set("width", "3"));
        assertEquals("unknown setting 'width'; valid keys: xs, slope", error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> settings.set("slope", "steep"));
        assertEquals(
                "invalid value 'steep' for setting 'slope'; expected a number", error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> settings.set("xs", "1,a"));
        assertEquals(
                "invalid value '1,a' for setting 'xs'; expected a comma-separated list of integers",
                error.getMessage());
        assertEquals(List.of(5, 6), settings.set("xs", "5, 6").integers("xs"));
    }
}
