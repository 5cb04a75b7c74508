package org.sgdlab.experiment;

import java.util.List;

/**
 * The data of one figure, drawn by the report: named series of points on shared axes.
 *
 * @param name the file stem (plots are written as NAME.svg and NAME.png)
 * @param title the figure's title
 * @param xLabel the label of the horizontal axis
 * @param yLabel the label of the vertical axis
 * @param logX whether the horizontal axis is logarithmic
 * @param logY whether the vertical axis is logarithmic
 * @param series the lines or point sets
 */
public record Plot(
        String name,
        String title,
        String xLabel,
        String yLabel,
        boolean logX,
        boolean logY,
        List<Series> series) {

    /**
     * One series: points (x_i, y_i) with an optional band [low_i, high_i] (empty arrays for none),
     * drawn as a line with markers, or as markers only when {@code pointsOnly}.
     */
    public record Series(
            String name, double[] x, double[] y, double[] low, double[] high, boolean pointsOnly) {
        public static Series line(String name, double[] x, double[] y) {
            return new Series(name, x, y, new double[0], new double[0], false);
        }

        public static Series band(
                String name, double[] x, double[] y, double[] low, double[] high) {
            return new Series(name, x, y, low, high, false);
        }

        public static Series points(String name, double[] x, double[] y) {
            return new Series(name, x, y, new double[0], new double[0], true);
        }
    }
}
