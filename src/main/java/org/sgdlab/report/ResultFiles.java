package org.sgdlab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sgdlab.data.DataFormatException;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.train.RunFiles;

/**
 * Reads a finished experiment back from its directory: {@code result.json}, which the sweep wrote
 * with everything the report shows, and {@code provenance.json} beside it.
 *
 * <p>A missing or malformed {@code result.json} is a {@link DataFormatException} that names the
 * file. A missing {@code provenance.json} gives an empty provenance, which the report shows as not
 * recorded; a malformed one is an error. Fields the reader does not know are ignored, so that newer
 * result files still read.
 */
public final class ResultFiles {
    private static final ObjectMapper READER =
            RunFiles.JSON.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ResultFiles() {}

    /**
     * An experiment read from disk.
     *
     * @param directory the experiment's directory
     * @param result what the experiment produced
     * @param provenance the commit, versions and machine it ran on, by key; empty when not recorded
     */
    public record Stored(Path directory, ExperimentResult result, Map<String, Object> provenance) {}

    /** Reads the result and provenance of the experiment written into the directory. */
    public static Stored read(Path experimentDirectory) throws IOException {
        Path resultFile = experimentDirectory.resolve("result.json");
        if (!Files.isRegularFile(resultFile)) {
            throw new DataFormatException(
                    resultFile
                            + ": no such file; expected the result of a finished experiment"
                            + " (run it with 'sgdlab run NAME --out DIR' first)");
        }
        ExperimentResult result = parse(resultFile, new TypeReference<ExperimentResult>() {});
        if (result == null || result.name() == null) {
            throw new DataFormatException(
                    resultFile + ": no experiment name; expected an object with a \"name\" field");
        }

        Path provenanceFile = experimentDirectory.resolve("provenance.json");
        Map<String, Object> provenance = new LinkedHashMap<>();
        if (Files.isRegularFile(provenanceFile)) {
            Map<String, Object> read =
                    parse(provenanceFile, new TypeReference<LinkedHashMap<String, Object>>() {});
            if (read != null) {
                provenance.putAll(read);
            }
        }
        return new Stored(experimentDirectory, result, provenance);
    }

    private static <T> T parse(Path file, TypeReference<T> type) throws IOException {
        try {
            return READER.readValue(file.toFile(), type);
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage().lines().findFirst().orElse("unreadable");
            String place = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new DataFormatException(
                    file + ": not an experiment's JSON file" + place + ": " + reason, e);
        }
    }
}
