package org.sgdlab.report;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 logarithmic axis labelled with plain numbers (10, 200, 0.005, 1e-6) at powers of ten,
 * and also at 2 and 5 times them, or at every integer multiple, when the range holds too few powers
 * of ten to read the scale. Unlabelled multiples get minor ticks. Over many decades only every
 * second, fifth or tenth power of ten is labelled, so that labels do not collide.
 */
final class DecadeAxis extends LogAxis {
    private static final long serialVersionUID = 1L;
    private static final int MOST_LABELS = 12;
    private static final int FEWEST_LABELS = 3;

    DecadeAxis(String label) {
        super(label);
        setSmallestValue(1e-300);
        setMinorTickMarksVisible(true);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List refreshTicks(
            Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        double lower = getLowerBound();
        double upper = getUpperBound();
        List<NumberTick> ticks = new ArrayList<>();
        if (!(lower > 0) || !(upper > lower)) {
            return ticks;
        }
        int first = (int) Math.floor(Math.log10(lower));
        int last = (int) Math.ceil(Math.log10(upper));
        int every = labelStep(last - first);
        int[] labelled = multiplesToLabel(lower, upper, first, last);

        for (int exponent = first; exponent <= last; exponent++) {
            double decade = Math.pow(10, exponent);
            for (int multiple = 1; multiple <= 9; multiple++) {
                double value = multiple * decade;
                if (value < lower || value > upper || (multiple > 1 && every > 1)) {
                    continue;
                }
                boolean major =
                        multiple == 1
                                ? Math.floorMod(exponent, every) == 0
                                : contains(labelled, multiple);
                ticks.add(tick(value, major, edge));
            }
        }
        return ticks;
    }

    /** Label every power of ten, or every second, fifth or tenth when there are many. */
    private static int labelStep(int decades) {
        for (int step : new int[] {1, 2, 5, 10}) {
            if (decades <= step * MOST_LABELS) {
                return step;
            }
        }
        return (decades + MOST_LABELS - 1) / MOST_LABELS;
    }

    /** The multiples of each power of ten to label besides 1: none, 2 and 5, or all. */
    private static int[] multiplesToLabel(double lower, double upper, int first, int last) {
        if (count(lower, upper, first, last, new int[] {1}) >= FEWEST_LABELS) {
            return new int[0];
        }
        int[] oneTwoFive = {1, 2, 5};
        if (count(lower, upper, first, last, oneTwoFive) >= FEWEST_LABELS) {
            return oneTwoFive;
        }
        return new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9};
    }

    private static int count(double lower, double upper, int first, int last, int[] multiples) {
        int count = 0;
        for (int exponent = first; exponent <= last; exponent++) {
            for (int multiple : multiples) {
                double value = multiple * Math.pow(10, exponent);
                count += value >= lower && value <= upper ? 1 : 0;
            }
        }
        return count;
    }

    private static boolean contains(int[] values, int value) {
        for (int candidate : values) {
            if (candidate == value) {
                return true;
            }
        }
        return false;
    }

    private static NumberTick tick(double value, boolean major, RectangleEdge edge) {
        TextAnchor anchor;
        if (RectangleEdge.isTopOrBottom(edge)) {
            anchor = edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
        } else {
            anchor = edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT;
        }
        return new NumberTick(
                major ? TickType.MAJOR : TickType.MINOR,
                value,
                major ? Text.number(value) : "",
                anchor,
                anchor,
                0.0);
    }
}
