package org.sgdlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: exit codes, one-line errors, and the files of a run. */
class CommandLineTest {
    /** Exit code, standard output and standard error of one invocation. */
    record Outcome(int code, String out, String err) {}

    static Outcome execute(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Outcome(
                    code,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--width 0|sgdlab: --width must be positive, got 0",
                "--loss hinge|sgdlab: unknown loss 'hinge'; allowed: mse, cross-entropy, logistic",
                "--init xavier|sgdlab: unknown initialization 'xavier'; allowed: he, lecun, ntk,"
                        + " signs, gaussian:STD with STD > 0",
                "--dataset cifar|sgdlab: unknown --dataset 'cifar'; allowed: random-labels,"
                        + " teacher, mixture, fashion-mnist, fashion-mnist-subset,"
                        + " npy:X.npy,Y.npy, csv:FILE",
                "--dataset npy:missing.npy,y.npy|sgdlab: data file missing.npy does not exist",
                "--save model.bin|sgdlab: --save must name a .safetensors file, got model.bin",
                "--batch-size 999|sgdlab: --batch-size must be at most --n-train (256), got 999",
                "--schedule exp|sgdlab: invalid schedule 'exp'; allowed: constant,"
                        + " drop:STEP:FACTOR, step:STEP:FACTOR[,STEP:FACTOR]...,"
                        + " cosine:TOTAL_STEPS",
                "--width ten|sgdlab: Invalid value for option '--width': 'ten' is not an int",
            })
    void badTrainOptionsGiveOneLineAndExitTwo(String options, String message, @TempDir Path dir) {
        String[] words = options.split(" ");
        String[] args = new String[words.length + 3];
        args[0] = "train";
        System.arraycopy(words, 0, args, 1, words.length);
        args[words.length + 1] = "--out";
        args[words.length + 2] = dir.resolve("run").toString();
        Outcome outcome = execute(args);
        assertEquals(2, outcome.code());
        assertEquals(message + System.lineSeparator(), outcome.err());
        assertFalse(Files.exists(dir.resolve("run")), "nothing is written for bad input");
    }

    @Test
    void trainWritesItsFiles(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Outcome outcome =
                execute(
                        "train",
                        "--n-train",
                        "32",
                        "--n-test",
                        "16",
                        "--input-dim",
                        "8",
                        "--width",
                        "64",
                        "--steps",
                        "20",
                        "--log-every",
                        "10",
                        "--out",
                        out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().startsWith("completed after 20 steps"), outcome.out());
        assertEquals(4, Files.readAllLines(out.resolve("metrics.csv")).size());
        assertTrue(
                Files.readString(out.resolve("summary.json"))
                        .contains("\"outcome\" : \"completed\""));
        assertTrue(Files.readString(out.resolve("provenance.json")).contains("\"commit\""));
    }

    @Test
    void savedWeightsLoadBackAsTheInitialization(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("model.safetensors");
        String[] common = {
            "train", "--n-train", "32", "--n-test", "0", "--input-dim", "8", "--quiet"
        };
        Outcome saved =
                execute(
                        concat(
                                common,
                                "--width",
                                "16",
                                "--steps",
                                "5",
                                "--save",
                                weights.toString(),
                                "--out",
                                dir.resolve("first").toString()));
        assertEquals(0, saved.code(), saved.err());
        var tensors = org.sgdlab.data.Safetensors.read(weights);
        assertEquals(
                java.util.List.of("0.bias", "0.weight", "2.bias", "2.weight"),
                java.util.List.copyOf(new java.util.TreeSet<>(tensors.keySet())));
        assertEquals("[16, 8]", java.util.Arrays.toString(tensors.get("0.weight").shape()));
        assertTrue(Files.readString(dir.resolve("model.json")).contains("\"architecture\""));

        Outcome loaded =
                execute(
                        concat(
                                common,
                                "--width",
                                "16",
                                "--steps",
                                "1",
                                "--lr",
                                "1e-9",
                                "--init",
                                weights.toString(),
                                "--out",
                                dir.resolve("second").toString()));
        assertEquals(0, loaded.code(), loaded.err());
        var firstRows = Files.readAllLines(dir.resolve("first/metrics.csv"));
        String first = firstRows.get(firstRows.size() - 1);
        String second = Files.readAllLines(dir.resolve("second/metrics.csv")).get(1);
        assertEquals(
                first.split(",")[3],
                second.split(",")[3],
                "the loaded weights give the saved run's final loss");

        Outcome wrong =
                execute(
                        concat(
                                common,
                                "--width",
                                "32",
                                "--steps",
                                "1",
                                "--init",
                                weights.toString(),
                                "--out",
                                dir.resolve("third").toString()));
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("has shape [16, 8], the model needs [32, 8]"), wrong.err());
    }

    private static String[] concat(String[] first, String... second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void reproduceWritesTheReportBesideTheExperiments(@TempDir Path dir) throws Exception {
        Outcome outcome =
                execute(
                        "reproduce",
                        "--only",
                        "width-convergence",
                        "--seeds",
                        "1",
                        "--quiet",
                        "--out",
                        dir.toString());
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(Files.isRegularFile(dir.resolve("index.html")));
        assertTrue(Files.readString(dir.resolve("index.html")).contains("width-convergence"));
        Path experiment = dir.resolve("width-convergence");
        for (String file : new String[] {"results.csv", "verdict.json", "provenance.json"}) {
            assertTrue(Files.isRegularFile(experiment.resolve(file)), file);
        }
        try (var plots = Files.list(experiment.resolve("plots"))) {
            assertTrue(plots.anyMatch(path -> path.toString().endsWith(".svg")));
        }
    }

    @Test
    void unknownExperimentsAndSpecsAreNamed(@TempDir Path dir) throws Exception {
        Outcome outcome = execute("run", "no-such-experiment");
        assertEquals(2, outcome.code());
        assertTrue(
                outcome.err().startsWith("sgdlab: unknown experiment 'no-such-experiment'; known:"),
                outcome.err());
        assertEquals(1, outcome.err().lines().count());

        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, "experiment: line\nseeds: three\n");
        outcome = execute("run", spec.toString());
        assertEquals(2, outcome.code());
        assertEquals(
                "sgdlab: spec "
                        + spec
                        + ": 'seeds' must be an integer, got \"three\""
                        + System.lineSeparator(),
                outcome.err());

        Files.writeString(spec, "experiment: line\nwidths: [1, 2]\n");
        outcome = execute("run", spec.toString());
        assertEquals(
                "sgdlab: spec "
                        + spec
                        + ": unknown key 'widths'; allowed: experiment, profile,"
                        + " seeds, first_seed, out, set"
                        + System.lineSeparator(),
                outcome.err());
    }
}
