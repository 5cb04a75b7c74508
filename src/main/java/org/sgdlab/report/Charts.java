package org.sgdlab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;
import org.sgdlab.data.AtomicFiles;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.experiment.Plot;

/**
 * Draws a {@link Plot} with JFreeChart: as an SVG document through JFreeSVG, and as a PNG image.
 *
 * <p>A series is a line with markers, or markers only when it is points-only. A series with a band
 * (non-empty low and high arrays) is drawn with a shaded band around a line, or with error bars
 * around points. Colours follow the Okabe-Ito palette, which stays distinguishable under the common
 * forms of colour blindness, and each series also has its own marker shape, so the figures read in
 * greyscale print too.
 *
 * <p>On a logarithmic axis a point whose coordinate is not positive cannot be drawn: it is left
 * out, and a series with no point left is left out of the figure and its legend. A band whose lower
 * end is not positive on a logarithmic vertical axis is drawn down to the bottom edge of the
 * figure. Points with a coordinate that is not finite are left out on any axis.
 *
 * <p>Rendering runs headless: the class sets {@code java.awt.headless=true} when it is loaded.
 */
public final class Charts {
    /** The width of the written figures, in pixels. */
    public static final int WIDTH = 900;

    /** The height of the written figures, in pixels. */
    public static final int HEIGHT = 560;

    /** Okabe-Ito colours, the yellow last because it is faint on white. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2),
        new Color(0xD55E00),
        new Color(0x009E73),
        new Color(0xCC79A7),
        new Color(0xE69F00),
        new Color(0x56B4E9),
        new Color(0x000000),
        new Color(0xF0E442),
    };

    private static final String FONT_FAMILY = "SansSerif";
    private static final Color GRID = new Color(0xD5D5D5);
    private static final Color MINOR_GRID = new Color(0xEEEEEE);
    private static final Color AXIS = new Color(0x444444);
    private static final float BAND_ALPHA = 0.18f;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * Writes the plot as {@code NAME.svg} and {@code NAME.png} into the directory, creating it if
     * needed, each file whole or not at all.
     *
     * @return the two files written, the SVG first
     */
    public static List<Path> render(Plot plot, Path directory) throws IOException {
        String stem = fileStem(plot);
        JFreeChart chart = chart(plot, true);

        Path svg = directory.resolve(stem + ".svg");
        AtomicFiles.writeString(svg, svgDocument(chart));
        Path png = directory.resolve(stem + ".png");
        AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
        return List.of(svg, png);
    }

    /**
     * Writes every plot of the result into {@code directory/plots}.
     *
     * @return the files written, two per plot
     */
    public static List<Path> renderAll(ExperimentResult result, Path directory) throws IOException {
        Path plots = directory.resolve("plots");
        List<Path> written = new ArrayList<>();
        for (Plot plot : result.plots() == null ? List.<Plot>of() : result.plots()) {
            written.addAll(render(plot, plots));
        }
        return written;
    }

    /**
     * The plot as an {@code <svg>} element for inlining into an HTML page, without the figure's
     * title (the page puts it in a caption). The element has a view box and no namespace
     * declarations, which HTML does not need, and every identifier it defines starts with the
     * prefix, so that several figures can share one page.
     */
    public static String svgElement(Plot plot, String idPrefix) {
        if (!idPrefix.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException(
                    "idPrefix must be a letter followed by letters, digits, _ or -, got '"
                            + idPrefix
                            + "'");
        }
        SVGGraphics2D graphics = draw(chart(plot, false), idPrefix);
        String element =
                graphics.getSVGElement(null, false, new ViewBox(0, 0, WIDTH, HEIGHT), null, null);
        return element.replaceFirst(" xmlns='[^']*'", "")
                .replaceFirst(" xmlns:xlink='[^']*'", "")
                .replaceFirst(" xmlns:jfreesvg='[^']*'", "");
    }

    /**
     * The JFreeChart figure of a plot, with its title or without.
     *
     * @throws IllegalArgumentException when a series' arrays do not match in length
     */
    public static JFreeChart chart(Plot plot, boolean withTitle) {
        boolean logX = plot.logX();
        boolean logY = plot.logY();
        List<Plot.Series> all = plot.series() == null ? List.of() : plot.series();
        all.forEach(series -> check(plot, series));
        Extent extent = Extent.of(all, logX, logY);

        Layer lines = new Layer(bandRenderer(), true);
        Layer bars = new Layer(errorBarRenderer(), false);
        Layer points = new Layer(new XYLineAndShapeRenderer(false, true), false);
        Set<String> keys = new HashSet<>();
        for (int place = 0; place < all.size(); place++) {
            Plot.Series series = all.get(place);
            YIntervalSeries data = new YIntervalSeries(uniqueKey(series.name(), keys), false, true);
            for (int i = 0; i < series.x().length; i++) {
                addPoint(data, series, i, logX, logY, extent);
            }
            if (data.getItemCount() == 0) {
                continue;
            }
            Layer layer = !series.pointsOnly() ? lines : series.low().length > 0 ? bars : points;
            layer.data.addSeries(data);
            layer.places.add(place);
        }

        XYPlot xyPlot = new XYPlot();
        xyPlot.setDomainAxis(axis(plot.xLabel(), logX));
        xyPlot.setRangeAxis(axis(plot.yLabel(), logY));
        int datasetIndex = 0;
        for (Layer layer : List.of(lines, bars, points)) {
            if (layer.data.getSeriesCount() > 0) {
                xyPlot.setDataset(datasetIndex, layer.data);
                xyPlot.setRenderer(datasetIndex++, layer.renderer);
            }
        }
        if (extent.clampsLow()) {
            xyPlot.getRangeAxis().setRange(extent.bottom(), extent.highest() * 1.5);
        }
        xyPlot.setNoDataMessage(
                logX || logY ? "no positive values to show on a logarithmic axis" : "no data");

        JFreeChart chart =
                new JFreeChart(
                        withTitle ? plot.title() : null,
                        new Font(FONT_FAMILY, Font.BOLD, 18),
                        xyPlot,
                        true);
        theme().apply(chart);
        decorate(chart, xyPlot);
        for (Layer layer : List.of(lines, bars, points)) {
            style(layer.renderer, layer.places, layer.lines);
        }
        return chart;
    }

    private static DeviationRenderer bandRenderer() {
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(BAND_ALPHA);
        return renderer;
    }

    private static XYErrorRenderer errorBarRenderer() {
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDrawYError(true);
        renderer.setCapLength(8);
        renderer.setErrorStroke(new BasicStroke(1.5f));
        return renderer;
    }

    private static String fileStem(Plot plot) {
        String name = plot.name();
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException(
                    "plot name must use letters, digits and . _ - only, got '" + name + "'");
        }
        return name;
    }

    private static void check(Plot plot, Plot.Series series) {
        int n = series.x().length;
        if (series.y().length != n) {
            throw new IllegalArgumentException(
                    "series '"
                            + series.name()
                            + "' of plot '"
                            + plot.name()
                            + "' has "
                            + n
                            + " x values and "
                            + series.y().length
                            + " y values");
        }
        boolean noBand = series.low().length == 0 && series.high().length == 0;
        if (!noBand && (series.low().length != n || series.high().length != n)) {
            throw new IllegalArgumentException(
                    "series '"
                            + series.name()
                            + "' of plot '"
                            + plot.name()
                            + "' has "
                            + n
                            + " points but a band of "
                            + series.low().length
                            + " low and "
                            + series.high().length
                            + " high values");
        }
    }

    /**
     * Adds point i when it can be drawn on the axes. A band end that is not finite is taken as the
     * point itself; a lower end that is not positive on a logarithmic axis goes to the bottom.
     */
    private static void addPoint(
            YIntervalSeries data,
            Plot.Series series,
            int i,
            boolean logX,
            boolean logY,
            Extent extent) {
        if (!drawable(series, i, logX, logY)) {
            return;
        }
        double x = series.x()[i];
        double y = series.y()[i];
        double low = y;
        double high = y;
        if (series.low().length > 0) {
            low = Double.isFinite(series.low()[i]) ? series.low()[i] : y;
            high = Double.isFinite(series.high()[i]) ? series.high()[i] : y;
        }
        if (logY && low <= 0) {
            low = extent.bottom();
        }
        data.add(x, y, low, high);
    }

    private static boolean drawable(Plot.Series series, int i, boolean logX, boolean logY) {
        double x = series.x()[i];
        double y = series.y()[i];
        return Double.isFinite(x) && Double.isFinite(y) && !(logX && x <= 0) && !(logY && y <= 0);
    }

    private static String uniqueKey(String name, Set<String> keys) {
        String base = name == null || name.isBlank() ? "series" : name;
        String key = base;
        for (int copy = 2; !keys.add(key); copy++) {
            key = base + " (" + copy + ")";
        }
        return key;
    }

    private static ValueAxis axis(String label, boolean logarithmic) {
        if (logarithmic) {
            return new DecadeAxis(label);
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        return axis;
    }

    /** Colours, markers and strokes by the series' place in the plot, not in its dataset. */
    private static void style(XYLineAndShapeRenderer renderer, List<Integer> places, boolean line) {
        for (int local = 0; local < places.size(); local++) {
            int place = places.get(local);
            Color colour = PALETTE[place % PALETTE.length];
            renderer.setSeriesPaint(local, colour);
            renderer.setSeriesFillPaint(local, colour);
            renderer.setSeriesShape(local, marker(place));
            renderer.setSeriesShapesVisible(local, true);
            renderer.setSeriesLinesVisible(local, line);
            renderer.setSeriesStroke(
                    local, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }
        renderer.setUseFillPaint(true);
        renderer.setDrawOutlines(false);
    }

    /** A marker of about 8 pixels, its shape cycling through five forms. */
    private static Shape marker(int place) {
        double r = 4.0;
        switch (place % 5) {
            case 0:
                return new Ellipse2D.Double(-r, -r, 2 * r, 2 * r);
            case 1:
                return new Rectangle2D.Double(-r * 0.9, -r * 0.9, 1.8 * r, 1.8 * r);
            case 2:
                return polygon(new double[] {0, r * 1.1, -r * 1.1}, new double[] {-r * 1.2, r, r});
            case 3:
                return polygon(
                        new double[] {0, r * 1.2, 0, -r * 1.2},
                        new double[] {-r * 1.2, 0, r * 1.2, 0});
            default:
                return polygon(new double[] {0, r * 1.1, -r * 1.1}, new double[] {r * 1.2, -r, -r});
        }
    }

    private static Shape polygon(double[] x, double[] y) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(x[0], y[0]);
        for (int i = 1; i < x.length; i++) {
            path.lineTo(x[i], y[i]);
        }
        path.closePath();
        return path;
    }

    private static StandardChartTheme theme() {
        StandardChartTheme theme = (StandardChartTheme) StandardChartTheme.createJFreeTheme();
        theme.setExtraLargeFont(new Font(FONT_FAMILY, Font.BOLD, 18));
        theme.setLargeFont(new Font(FONT_FAMILY, Font.PLAIN, 15));
        theme.setRegularFont(new Font(FONT_FAMILY, Font.PLAIN, 14));
        theme.setSmallFont(new Font(FONT_FAMILY, Font.PLAIN, 13));
        return theme;
    }

    private static void decorate(JFreeChart chart, XYPlot plot) {
        Paint white = Color.WHITE;
        chart.setBackgroundPaint(white);
        chart.setPadding(new RectangleInsets(8, 8, 8, 12));
        plot.setBackgroundPaint(white);
        plot.setOutlinePaint(AXIS);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setDomainMinorGridlinesVisible(plot.getDomainAxis() instanceof DecadeAxis);
        plot.setRangeMinorGridlinesVisible(plot.getRangeAxis() instanceof DecadeAxis);
        plot.setDomainMinorGridlinePaint(MINOR_GRID);
        plot.setRangeMinorGridlinePaint(MINOR_GRID);
        plot.setDomainMinorGridlineStroke(new BasicStroke(1f));
        plot.setRangeMinorGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setNoDataMessageFont(new Font(FONT_FAMILY, Font.PLAIN, 15));
        for (ValueAxis axis : new ValueAxis[] {plot.getDomainAxis(), plot.getRangeAxis()}) {
            axis.setAxisLinePaint(AXIS);
            axis.setTickMarkPaint(AXIS);
            axis.setLabelPaint(Color.BLACK);
            axis.setTickLabelPaint(Color.BLACK);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setFrame(BlockBorder.NONE);
            legend.setBackgroundPaint(white);
            legend.setItemFont(new Font(FONT_FAMILY, Font.PLAIN, 14));
            legend.setVisible(plot.getSeriesCount() > 0);
        }
    }

    private static String svgDocument(JFreeChart chart) {
        return draw(chart, "f").getSVGDocument();
    }

    private static SVGGraphics2D draw(JFreeChart chart, String idPrefix) {
        SVGGraphics2D graphics = new SVGGraphics2D(WIDTH, HEIGHT);
        graphics.setDefsKeyPrefix(idPrefix);
        graphics.setGeomDoubleConverter(Charts::hundredths);
        chart.draw((Graphics2D) graphics, new Rectangle(0, 0, WIDTH, HEIGHT));
        return graphics;
    }

    /** The series drawn by one renderer, by their places in the plot. */
    private static final class Layer {
        final YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        final List<Integer> places = new ArrayList<>();
        final XYLineAndShapeRenderer renderer;
        final boolean lines;

        Layer(XYLineAndShapeRenderer renderer, boolean lines) {
            this.renderer = renderer;
            this.lines = lines;
        }
    }

    /** A coordinate to two decimals, a hundredth of a pixel, without trailing zeros. */
    private static String hundredths(double value) {
        if (!Double.isFinite(value)) {
            return "0";
        }
        return BigDecimal.valueOf(Math.round(value * 100), 2).stripTrailingZeros().toPlainString();
    }

    /**
     * The positive vertical values drawn, and whether a band's lower end is not positive on a
     * logarithmic vertical axis; the axis then gets a fixed range whose bottom such ends go to.
     */
    private record Extent(double lowest, double highest, boolean clampsLow) {
        static Extent of(List<Plot.Series> all, boolean logX, boolean logY) {
            double lowest = Double.POSITIVE_INFINITY;
            double highest = 0;
            boolean clampsLow = false;
            for (Plot.Series series : all) {
                boolean band = series.low().length > 0;
                for (int i = 0; i < series.x().length; i++) {
                    if (!drawable(series, i, logX, logY)) {
                        continue;
                    }
                    double[] values =
                            band
                                    ? new double[] {
                                        series.y()[i], series.low()[i], series.high()[i]
                                    }
                                    : new double[] {series.y()[i]};
                    for (double value : values) {
                        if (value > 0 && Double.isFinite(value)) {
                            lowest = Math.min(lowest, value);
                            highest = Math.max(highest, value);
                        }
                    }
                    clampsLow |= logY && band && series.low()[i] <= 0;
                }
            }
            return new Extent(lowest, highest, clampsLow);
        }

        /** The bottom of the vertical axis when it is fixed. */
        double bottom() {
            return lowest / 1.5;
        }
    }
}
