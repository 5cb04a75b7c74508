package org.sgdlab.experiment;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.sgdlab.data.AtomicFiles;
import org.sgdlab.tensor.Gemm;
import org.sgdlab.train.Provenance;
import org.sgdlab.train.RunFiles;

/**
 * Runs an experiment's runs in parallel and writes its results.
 *
 * <p>Each finished run is written at once to {@code DIR/runs/ID.json}, whole or not at all; a sweep
 * started again on the same directory with the same settings reads those files instead of running
 * them again, so a killed sweep resumes where it stopped. When every run is done the sweep writes
 * {@code results.csv} (one row per run: run id, seed, parameters, measurements), {@code
 * verdict.json}, {@code result.json} (everything the report needs) and {@code provenance.json}.
 *
 * <p>While a sweep runs, OpenBLAS is set to one thread: the runs, not the matrix products, share
 * the cores, and a run's numbers do not depend on how many runs go beside it. OpenBLAS sums some
 * products in another order on two threads than on one (a 64 x 784 by 784 x 512 product differs in
 * most of its entries), and training amplifies such differences: a sweep of one worker would
 * otherwise give other numbers than a sweep of several, and a resumed sweep other numbers than an
 * uninterrupted one.
 */
public final class Sweep {
    private final Experiment experiment;
    private final Settings settings;
    private final List<Long> seeds;
    private final String profile;
    private final int threads;

    public Sweep(
            Experiment experiment,
            Settings settings,
            List<Long> seeds,
            String profile,
            int threads) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one seed");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        this.experiment = experiment;
        this.settings = settings;
        this.seeds = List.copyOf(seeds);
        this.profile = profile;
        this.threads = threads;
    }

    /** The seeds first, first + 1, ..., first + count - 1. */
    public static List<Long> seeds(long first, int count) {
        if (count < 1) {
            throw new IllegalArgumentException(
                    "the number of seeds must be positive, got " + count);
        }
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            seeds.add(first + i);
        }
        return seeds;
    }

    /** Runs what is not on disk yet, then analyzes every row and writes the result files. */
    public ExperimentResult run(Path directory, SweepListener listener) throws IOException {
        List<RunSpec> runs = experiment.runs(settings, seeds);
        checkUnique(runs);
        Path runsDirectory = directory.resolve("runs");
        Files.createDirectories(runsDirectory);
        writeSettings(directory);

        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        List<RunSpec> pending = new ArrayList<>();
        for (RunSpec run : runs) {
            Map<String, Object> stored = readRun(runsDirectory.resolve(run.id() + ".json"));
            if (stored != null) {
                rows.put(run.id(), stored);
            } else {
                pending.add(run);
            }
        }
        listener.started(experiment.name(), runs.size(), rows.size());

        long started = System.nanoTime();
        Map<String, Map<String, Object>> fresh =
                execute(pending, runsDirectory, listener, rows.size(), runs.size());
        rows.putAll(fresh);
        double seconds = (System.nanoTime() - started) / 1e9;

        List<Map<String, Object>> ordered = new ArrayList<>();
        for (RunSpec run : runs) {
            ordered.add(rows.get(run.id()));
        }
        Experiment.Analysis analysis = experiment.analyze(ordered, settings);
        ExperimentResult result =
                new ExperimentResult(
                        experiment.name(),
                        experiment.description(),
                        experiment.claims(),
                        profile,
                        settings.asMap(),
                        seeds,
                        ordered,
                        analysis.verdicts(),
                        analysis.plots(),
                        analysis.notes(),
                        seconds,
                        runs.size() - pending.size());
        writeResults(directory, result);
        listener.finished(result);
        return result;
    }

    private Map<String, Map<String, Object>> execute(
            List<RunSpec> pending, Path runsDirectory, SweepListener listener, int done, int total)
            throws IOException {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        if (pending.isEmpty()) {
            return rows;
        }
        int workers = Math.min(threads, pending.size());
        Gemm.setThreads(1);
        AtomicInteger finished = new AtomicInteger(done);
        ExecutorService pool = Executors.newFixedThreadPool(workers, daemonThreads());
        try {
            List<Future<Map<String, Object>>> futures = new ArrayList<>();
            for (RunSpec run : pending) {
                futures.add(
                        pool.submit(
                                () -> {
                                    Map<String, Object> row = row(run);
                                    AtomicFiles.writeString(
                                            runsDirectory.resolve(run.id() + ".json"),
                                            RunFiles.JSON.writeValueAsString(row));
                                    listener.runFinished(run, finished.incrementAndGet(), total);
                                    return row;
                                }));
            }
            for (int i = 0; i < pending.size(); i++) {
                rows.put(pending.get(i).id(), futures.get(i).get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("sweep interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        } finally {
            pool.shutdownNow();
            awaitWorkers(pool);
            Gemm.setThreads(Runtime.getRuntime().availableProcessors());
        }
        return rows;
    }

    /** Waits until no worker runs, so that nothing is written after the sweep returns. */
    private static void awaitWorkers(ExecutorService pool) {
        try {
            while (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Object> row(RunSpec run) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run", run.id());
        row.put("seed", run.seed());
        row.putAll(run.parameters());
        row.putAll(experiment.execute(run, settings));
        return row;
    }

    private void writeSettings(Path directory) throws IOException {
        Path file = directory.resolve("settings.json");
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("experiment", experiment.name());
        current.put("settings", settings.asMap());
        current.put("seeds", seeds);
        String text = RunFiles.JSON.writeValueAsString(current);
        if (Files.exists(file) && !Files.readString(file).equals(text)) {
            Path runs = directory.resolve("runs");
            try (var stale = Files.list(runs)) {
                for (Path path : (Iterable<Path>) stale::iterator) {
                    Files.delete(path);
                }
            }
        }
        AtomicFiles.writeString(file, text);
    }

    private static Map<String, Object> readRun(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return RunFiles.JSON.readValue(
                    file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            return null;
        }
    }

    private void writeResults(Path directory, ExperimentResult result) throws IOException {
        AtomicFiles.writeString(directory.resolve("results.csv"), csv(result.rows()));
        AtomicFiles.writeString(
                directory.resolve("verdict.json"),
                RunFiles.JSON.writeValueAsString(result.verdicts()));
        AtomicFiles.writeString(
                directory.resolve("result.json"), RunFiles.JSON.writeValueAsString(result));
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("experiment", result.name());
        provenance.put("profile", result.profile());
        provenance.put("seeds", result.seeds());
        provenance.put("settings", result.settings());
        provenance.put("wall_seconds", result.wallSeconds());
        provenance.put("runs_read_back", result.runsReadBack());
        provenance.putAll(Provenance.environment());
        AtomicFiles.writeString(
                directory.resolve("provenance.json"), RunFiles.JSON.writeValueAsString(provenance));
    }

    /** Rows as CSV text, columns in order of first appearance; text cells quoted when needed. */
    public static String csv(List<Map<String, Object>> rows) {
        Set<String> columns = new LinkedHashSet<>();
        for (Map<String, Object> row : rows) {
            columns.addAll(row.keySet());
        }
        StringBuilder text = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                cells.add(cell(row.get(column)));
            }
            text.append(String.join(",", cells)).append('\n');
        }
        return text.toString();
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double number) {
            return RunFiles.format(number);
        }
        String text = String.valueOf(value);
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    private static void checkUnique(List<RunSpec> runs) {
        Set<String> ids = new LinkedHashSet<>();
        for (RunSpec run : runs) {
            if (!ids.add(run.id())) {
                throw new IllegalStateException("two runs share the id " + run.id());
            }
            if (!run.id().matches("[A-Za-z0-9._=-]+")) {
                throw new IllegalStateException(
                        "run id " + run.id() + " must use letters, digits and . _ = - only");
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "sweep-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
