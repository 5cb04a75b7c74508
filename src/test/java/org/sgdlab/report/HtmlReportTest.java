package org.sgdlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.data.DataFormatException;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.train.RunFiles;

class HtmlReportTest {
    private static final Pattern SECTION =
            Pattern.compile(
                    "<section class=\"experiment\" id=\"([^\"]+)\">(.*?)</section>",
                    Pattern.DOTALL);
    private static final Pattern REFERENCE =
            Pattern.compile("(?:src|href)\\s*=\\s*[\"']?([^\"'\\s>]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern INLINE_SVG = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL);

    @Test
    void reportIsSelfContainedAndShowsEveryPart(@TempDir Path directory) throws Exception {
        List<ExperimentResult> results =
                List.of(SyntheticResults.widthSweep(), SyntheticResults.diverged());

        Path file =
                HtmlReport.write(
                        results,
                        List.of(
                                SyntheticResults.provenance(results.get(0)),
                                SyntheticResults.provenance(results.get(1))),
                        directory);

        assertEquals(directory.resolve("index.html"), file);
        String html = Files.readString(file);
        assertSelfContained(html);
        assertFalse(html.toLowerCase().contains("<script"), "the report must have no script");
        assertTrue(html.contains("HOLDS</span>"));
        assertTrue(html.contains("DOES NOT HOLD</span>"));
        assertEquals(2, count(html, "<section class=\"experiment\""));
        assertEquals(4, count(html, "<svg "), "one inline figure per plot");
        for (String heading :
                List.of("Claims", "Verdicts", "Figures", "Observations", "Results", "Provenance")) {
            assertEquals(2, count(html, "<h3>" + heading + "</h3>"), heading);
        }
        try (var files = Files.list(directory)) {
            assertEquals(List.of(file), files.toList(), "a temporary file was left behind");
        }
    }

    @Test
    void everyExperimentSectionHasItsNameVerdictsAndProvenance() {
        ExperimentResult sweep = SyntheticResults.widthSweep();
        ExperimentResult diverged = SyntheticResults.diverged();

        String html = html(sweep, diverged);

        Matcher section = SECTION.matcher(html);
        List<String> names = new ArrayList<>();
        while (section.find()) {
            String body = section.group(2);
            names.add(section.group(1));
            assertTrue(body.contains("class=\"verdict "), section.group(1) + " has no verdict");
            assertTrue(body.contains("0123456789abcdef0123456789abcdef01234567"));
            assertTrue(body.contains("OpenBLAS 0.3.31"));
            assertTrue(body.contains("17.0.15, Debian, OpenJDK 64-Bit Server VM"));
            assertTrue(body.contains("Linux 6.1, amd64, 2 cores, 4096 MiB heap"));
        }
        assertEquals(List.of("e1-width-distance", "e2-large-rate"), names);
        assertTrue(html.contains("href=\"#e1-width-distance\""), "the summary links the section");
        assertTrue(html.contains("1 to 8 (8)"), "the seeds of the sweep");
        assertTrue(html.contains("1 min 23 s"), "the sweep's wall time");
        assertTrue(
                html.contains("6.0 s, 2 of 3 runs read back from an earlier sweep"),
                "the second experiment's wall time, with the runs it did not time");
        assertFalse(html.contains("1 min 23 s, "), "a sweep that ran every run says nothing more");
        assertTrue(html.contains("1 of 3 verdicts hold"));
    }

    @Test
    void textFromResultsIsEscaped() {
        String html = html(SyntheticResults.widthSweep(), SyntheticResults.diverged());

        assertFalse(html.contains(SyntheticResults.HOSTILE_NOTE));
        assertTrue(
                html.contains(
                        "a note with &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"));
        assertTrue(html.contains("random labels &amp; measures"));
        assertFalse(html.contains("labels & measures"));
    }

    @Test
    void verdictsShowValueIntervalAndCriterion() {
        String html = html(SyntheticResults.widthSweep(), SyntheticResults.diverged());

        assertTrue(html.contains("<span class=\"figure\">-0.4987</span>"));
        assertTrue(html.contains("<span class=\"figure\">[-0.52, -0.47]</span>"));
        assertTrue(html.contains("<dd>interval contains -1</dd>"));
        assertTrue(html.contains("<span class=\"figure\">[NaN, NaN]</span>"));
    }

    @Test
    void aLargeSweepIsGroupedOverSeedsAndASmallOneShownWhole() {
        String html = html(SyntheticResults.widthSweep(), SyntheticResults.diverged());

        assertTrue(
                html.contains(
                        "56 runs in 7 groups by width; numbers are means over the runs of a"
                                + " group"));
        assertTrue(html.contains("<td>6 of 8</td>"), "converged in 6 of 8 seeds");
        assertTrue(html.contains("All 3 runs."));
        assertTrue(html.contains("diverged at step 812, loss NaN"));
    }

    @Test
    void reportOfDirectoriesReadsResultAndProvenanceFiles(@TempDir Path directory)
            throws Exception {
        List<Path> experiments = new ArrayList<>();
        for (ExperimentResult result :
                List.of(SyntheticResults.widthSweep(), SyntheticResults.diverged())) {
            Path experiment = directory.resolve(result.name());
            Files.createDirectories(experiment);
            RunFiles.JSON.writeValue(experiment.resolve("result.json").toFile(), result);
            RunFiles.JSON.writeValue(
                    experiment.resolve("provenance.json").toFile(),
                    SyntheticResults.provenance(result));
            experiments.add(experiment);
        }

        Path file = HtmlReport.writeForDirectories(experiments, directory);

        String fromFiles = Files.readString(file, StandardCharsets.UTF_8);
        String direct = html(SyntheticResults.widthSweep(), SyntheticResults.diverged());
        assertEquals(direct, fromFiles);
    }

    @Test
    void aMissingResultFileIsNamedInTheError(@TempDir Path directory) {
        DataFormatException error =
                assertThrows(DataFormatException.class, () -> ResultFiles.read(directory));

        assertTrue(
                error.getMessage().startsWith(directory.resolve("result.json") + ": no such file;"),
                error.getMessage());
    }

    @Test
    void aMalformedResultFileIsNamedInTheError(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("result.json"), "{\"name\": \"x\", \"seeds\": [1,");

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> ResultFiles.read(directory));

        assertTrue(
                error.getMessage()
                        .startsWith(
                                directory.resolve("result.json")
                                        + ": not an experiment's JSON file at line 1"),
                error.getMessage());
    }

    @Test
    void provenanceMustMatchTheResultsOneToOne() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> HtmlReport.html(List.of(SyntheticResults.diverged()), List.of()));

        assertEquals(
                "need one provenance record per result, got 1 results and 0 provenance records",
                error.getMessage());
    }

    /** Fails when the page refers to anything outside itself, or has an ill-formed figure. */
    static void assertSelfContained(String html) throws Exception {
        Matcher reference = REFERENCE.matcher(html);
        while (reference.find()) {
            String target = reference.group(1);
            assertTrue(
                    target.startsWith("#") || target.startsWith("data:"),
                    "a reference outside the page: " + target);
        }
        assertFalse(html.contains("http://"), "the page names an http URL");
        assertFalse(html.contains("https://"), "the page names an https URL");
        assertFalse(html.contains("@import"), "the style sheet imports another");
        Matcher url = Pattern.compile("url\\(\\s*['\"]?([^)'\"]*)").matcher(html);
        while (url.find()) {
            assertTrue(url.group(1).startsWith("#"), "a url() outside the page: " + url.group(1));
        }
        Matcher svg = INLINE_SVG.matcher(html);
        while (svg.find()) {
            ChartsTest.parseXml(svg.group().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String html(ExperimentResult... results) {
        List<Map<String, Object>> provenance = new ArrayList<>();
        for (ExperimentResult result : results) {
            provenance.add(SyntheticResults.provenance(result));
        }
        return HtmlReport.html(List.of(results), provenance);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
