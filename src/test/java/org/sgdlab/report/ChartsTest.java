package org.sgdlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.experiment.Plot;
import org.w3c.dom.Document;

class ChartsTest {
    @Test
    void renderAllWritesAParsableSvgAndPngPerPlot(@TempDir Path directory) throws Exception {
        ExperimentResult result = SyntheticResults.widthSweep();

        List<Path> written = Charts.renderAll(result, directory);

        assertEquals(2 * result.plots().size(), written.size());
        for (Plot plot : result.plots()) {
            Path svg = directory.resolve("plots").resolve(plot.name() + ".svg");
            Path png = directory.resolve("plots").resolve(plot.name() + ".png");
            Document document = parseXml(Files.readAllBytes(svg));
            assertEquals("svg", document.getDocumentElement().getTagName());
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " is not a readable PNG");
            assertEquals(Charts.WIDTH, image.getWidth());
            assertEquals(Charts.HEIGHT, image.getHeight());
            assertTrue(colours(image) > 2, png + " is blank");
        }
        try (var files = Files.list(directory.resolve("plots"))) {
            assertTrue(files.noneMatch(file -> file.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void svgFileHasTheTitleAndTheSeriesNames(@TempDir Path directory) throws Exception {
        Plot plot = SyntheticResults.widthSweep().plots().get(0);

        Charts.render(plot, directory);

        String svg = Files.readString(directory.resolve("weight-distance.svg"));
        assertTrue(svg.contains("Relative weight distance against width"));
        assertTrue(svg.contains("measured"));
        assertTrue(svg.contains("m^(-1/2)"));
    }

    @Test
    void inlineSvgIsWellFormedWithPrefixedIdsAndNoNamespaceUrls() throws Exception {
        Plot plot = SyntheticResults.widthSweep().plots().get(0);

        String element = Charts.svgElement(plot, "e1p1_");

        assertTrue(element.startsWith("<svg viewBox='0 0 900 560'>"), element.substring(0, 40));
        assertFalse(element.contains("http://"), "the inline element still names a namespace URL");
        assertFalse(element.contains("Relative weight distance"), "inline figures carry no title");
        parseXml(element.getBytes(StandardCharsets.UTF_8));
        Matcher id = Pattern.compile("\\bid='([^']*)'").matcher(element);
        int ids = 0;
        while (id.find()) {
            assertTrue(id.group(1).startsWith("e1p1_"), "an id without the prefix: " + id.group(1));
            ids++;
        }
        assertTrue(ids > 0, "the figure defines no clip paths");
    }

    @Test
    void nonPositiveValuesAreDroppedOnLogAxesAndEmptySeriesOmitted() {
        Plot plot =
                new Plot(
                        "mixed",
                        "mixed",
                        "x",
                        "y",
                        true,
                        true,
                        List.of(
                                Plot.Series.line(
                                        "some positive",
                                        new double[] {-1, 0, 1, 2, 4},
                                        new double[] {1, 1, 0, 2, Double.NaN}),
                                Plot.Series.points(
                                        "none positive",
                                        new double[] {1, 2},
                                        new double[] {0, -3})));

        JFreeChart chart = Charts.chart(plot, true);

        XYPlot xyPlot = chart.getXYPlot();
        assertEquals(1, xyPlot.getSeriesCount());
        assertEquals(1, xyPlot.getDataset(0).getItemCount(0));
        assertEquals(2.0, xyPlot.getDataset(0).getXValue(0, 0));
    }

    @Test
    void aBandBelowZeroOnALogAxisReachesTheBottomOfTheAxis() {
        Plot plot =
                new Plot(
                        "band",
                        "band",
                        "x",
                        "y",
                        false,
                        true,
                        List.of(
                                Plot.Series.band(
                                        "band",
                                        new double[] {1, 2, 3},
                                        new double[] {1, 2, 3},
                                        new double[] {-1, 1, 2},
                                        new double[] {2, 3, 4})));

        XYPlot xyPlot = Charts.chart(plot, true).getXYPlot();

        double bottom = xyPlot.getRangeAxis().getLowerBound();
        assertEquals(1 / 1.5, bottom, 1e-12);
        var dataset = (org.jfree.data.xy.IntervalXYDataset) xyPlot.getDataset(0);
        assertEquals(bottom, dataset.getStartYValue(0, 0), 1e-12);
    }

    @Test
    void mismatchedSeriesLengthsAreRejectedWithBothLengths() {
        Plot plot =
                new Plot(
                        "bad",
                        "bad",
                        "x",
                        "y",
                        false,
                        false,
                        List.of(Plot.Series.line("short", new double[3], new double[2])));

        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> Charts.chart(plot, true));

        assertEquals(
                "series 'short' of plot 'bad' has 3 x values and 2 y values", error.getMessage());
    }

    @Test
    void aPlotNameThatIsNotAFileStemIsRejected(@TempDir Path directory) {
        Plot plot = new Plot("../escape", "t", "x", "y", false, false, List.of());

        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> Charts.render(plot, directory));

        assertEquals(
                "plot name must use letters, digits and . _ - only, got '../escape'",
                error.getMessage());
    }

    static Document parseXml(byte[] bytes) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
    }

    static int colours(BufferedImage image) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                seen.add(image.getRGB(x, y));
                if (seen.size() > 16) {
                    return seen.size();
                }
            }
        }
        return seen.size();
    }
}
