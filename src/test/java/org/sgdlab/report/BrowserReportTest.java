package org.sgdlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.experiment.Plot;

/**
 * Opens the report in headless Chromium, when {@code /usr/bin/chromium} is installed, and checks
 * what a reader would get: every section and figure in the loaded page, images that decode, no
 * console message, no request leaving the page, and a screenshot that is not blank (kept as {@code
 * target/report-screenshot.png}).
 */
class BrowserReportTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 60;
    private static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");
    private static final Pattern IMAGE =
            Pattern.compile("<img\\b[^>]*\\bsrc=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern DATA_URI =
            Pattern.compile("data:([a-z0-9.+/-]+)(;[^,]*)?,(.*)", Pattern.DOTALL);

    private static List<ExperimentResult> results;

    @TempDir static Path directory;

    @BeforeAll
    static void writeReport() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM);
        results = List.of(SyntheticResults.widthSweep(), SyntheticResults.diverged());
        List<Map<String, Object>> provenance = new ArrayList<>();
        results.forEach(result -> provenance.add(SyntheticResults.provenance(result)));
        HtmlReport.write(results, provenance, directory.resolve("site"));
    }

    @Test
    void loadedPageHasEverySectionAndFigureAndMakesNoRequestOrConsoleMessage() throws Exception {
        Path netLog = directory.resolve("net-log.json");

        Run run = chromium("dom", "--dump-dom", "--log-net-log=" + netLog);

        String dom = run.stdout();
        assertTrue(dom.contains("<h1>sgdlab report</h1>"), "the page did not load: " + dom);
        for (int i = 0; i < results.size(); i++) {
            ExperimentResult result = results.get(i);
            String id = "e" + (i + 1) + "-" + result.name();
            int start = dom.indexOf("<section class=\"experiment\" id=\"" + id + "\">");
            assertTrue(start >= 0, "no section " + id + " in the loaded page");
            int end = dom.indexOf("</section>", start);
            String section = dom.substring(start, end);
            assertTrue(section.contains(result.name()));
            assertEquals(
                    result.plots().size(), count(section, "<svg "), "figures of " + result.name());
            for (Plot plot : result.plots()) {
                assertTrue(section.contains(Text.escape(plot.title())), plot.title());
            }
        }
        assertTrue(dom.contains("DOES NOT HOLD"));
        assertTrue(dom.contains("&lt;script&gt;"), "the note's markup must stay text");
        assertImagesDecode(dom);

        List<String> console =
                run.stderr().lines().filter(line -> line.contains(":CONSOLE")).toList();
        assertTrue(console.isEmpty(), "console messages: " + console);
        assertEquals(List.of(), pageRequests(netLog), "requests made by the page");
    }

    @Test
    void screenshotIsNotBlank() throws Exception {
        Path shot = directory.resolve("screenshot.png");

        chromium("screenshot", "--screenshot=" + shot, "--hide-scrollbars");

        BufferedImage image = ImageIO.read(shot.toFile());
        assertNotNull(image, "the screenshot is not a PNG");
        assertEquals(1280, image.getWidth());
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        int colours = ChartsTest.colours(image);
        assertTrue(colours > 16, "the screenshot has " + colours + " colours");
        assertTrue(
                inkedFraction(image) > 0.02,
                "the screenshot is almost all background: " + inkedFraction(image));
    }

    private record Run(String stdout, String stderr) {}

    private static Run chromium(String name, String... options) throws Exception {
        Path profile = Files.createTempDirectory(directory, "profile-");
        Path out = directory.resolve(name + ".out");
        Path err = directory.resolve(name + ".err");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                CHROMIUM.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--host-resolver-rules=MAP * ~NOTFOUND",
                                "--user-data-dir=" + profile,
                                "--window-size=1280,2000",
                                "--enable-logging=stderr",
                                "--v=0"));
        command.addAll(List.of(options));
        command.add(directory.resolve("site").resolve("index.html").toUri().toString());
        Process process =
                new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("Chromium did not finish within " + TIMEOUT_SECONDS + " s");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "Chromium failed: " + stderr);
        return new Run(Files.readString(out, StandardCharsets.UTF_8), stderr);
    }

    /** Every image in the page is a data URI that decodes to a picture with a width. */
    private static void assertImagesDecode(String dom) throws Exception {
        Matcher image = IMAGE.matcher(dom);
        while (image.find()) {
            String source = image.group(1).replace("&amp;", "&");
            Matcher data = DATA_URI.matcher(source);
            assertTrue(data.matches(), "an image that is not a data URI: " + source);
            boolean base64 = data.group(2) != null && data.group(2).endsWith(";base64");
            byte[] bytes =
                    base64
                            ? Base64.getDecoder().decode(data.group(3))
                            : java.net.URLDecoder.decode(data.group(3), StandardCharsets.UTF_8)
                                    .getBytes(StandardCharsets.UTF_8);
            if (data.group(1).equals("image/svg+xml")) {
                ChartsTest.parseXml(bytes);
            } else {
                BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes));
                assertNotNull(decoded, "an image that does not decode: " + data.group(1));
                assertTrue(decoded.getWidth() > 0);
            }
        }
    }

    /**
     * The URLs the page asked the network for: requests in Chromium's net log whose site is the
     * page's file URL. The browser's own background requests have another site and are ignored.
     */
    private static List<String> pageRequests(Path netLog) throws Exception {
        JsonNode log = new ObjectMapper().readTree(netLog.toFile());
        List<String> urls = new ArrayList<>();
        for (JsonNode event : log.path("events")) {
            JsonNode params = event.path("params");
            boolean fromPage =
                    params.path("site_for_cookies").asText().contains("file://")
                            || params.path("network_isolation_key").asText().contains("file://");
            if (fromPage && params.has("url") && !urls.contains(params.path("url").asText())) {
                urls.add(params.path("url").asText());
            }
        }
        return urls;
    }

    private static double inkedFraction(BufferedImage image) {
        long inked = 0;
        long total = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                total++;
                inked += (image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
            }
        }
        return (double) inked / total;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
