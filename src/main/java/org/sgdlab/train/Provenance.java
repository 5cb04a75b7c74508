package org.sgdlab.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sgdlab.tensor.Gemm;

/**
 * Where a result came from: the commit of the code, the versions of Java and OpenBLAS, the machine,
 * and the time. Written beside every result as {@code provenance.json}, together with the seed and
 * configuration of the run or experiment.
 *
 * <p>The commit comes from the system property {@code sgdlab.commit} (the launcher sets it), else
 * from {@code git rev-parse HEAD} in the working directory, else it is "unknown"; a working tree
 * with uncommitted changes is marked "-dirty" by the launcher.
 */
public final class Provenance {
    private Provenance() {}

    /** The provenance of a result made now from the given seed and configuration. */
    public static Map<String, Object> of(long seed, Map<String, ?> configuration) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("seed", seed);
        record.put("configuration", configuration);
        record.putAll(environment());
        return record;
    }

    /** The code, software and machine, without seed or configuration. */
    public static Map<String, Object> environment() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("sgdlab_version", version());
        record.put("commit", commit());
        record.put("created", Instant.now().toString());
        record.put("java_version", System.getProperty("java.version"));
        record.put("java_vendor", System.getProperty("java.vendor"));
        record.put("java_vm", System.getProperty("java.vm.name"));
        record.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        record.put("arch", System.getProperty("os.arch"));
        record.put("cores", Runtime.getRuntime().availableProcessors());
        record.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1 << 20));
        record.put("openblas", blas());
        return record;
    }

    /** The version of sgdlab from the jar's manifest, or "development" when run from classes. */
    public static String version() {
        String version = Provenance.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /** The commit of the code, see the class comment. */
    public static String commit() {
        String property = System.getProperty("sgdlab.commit");
        if (property != null && !property.isBlank()) {
            return property;
        }
        try {
            Process git =
                    new ProcessBuilder("git", "rev-parse", "HEAD")
                            .redirectErrorStream(true)
                            .start();
            try (InputStream out = git.getInputStream()) {
                String text = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
                if (git.waitFor(5, TimeUnit.SECONDS)
                        && git.exitValue() == 0
                        && text.matches("[0-9a-f]{40}")) {
                    return text;
                }
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    private static String blas() {
        try {
            return Gemm.blasConfiguration();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable: " + e.getMessage();
        }
    }
}
