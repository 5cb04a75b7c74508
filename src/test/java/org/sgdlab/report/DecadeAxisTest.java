package org.sgdlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;

class DecadeAxisTest {
    @Test
    void manyDecadesAreLabelledAtPowersOfTen() {
        assertEquals(
                List.of("0.001", "0.01", "0.1", "1", "10", "100", "1000"), labels(0.0005, 5000));
    }

    @Test
    void aboutTwoDecadesAddTwoAndFiveTimesEachPower() {
        assertEquals(List.of("20", "50", "100", "200", "500", "1000"), labels(12, 1200));
    }

    @Test
    void lessThanADecadeLabelsEveryMultiple() {
        assertEquals(List.of("2", "3", "4", "5", "6", "7", "8"), labels(1.5, 8.5));
    }

    @Test
    void thirtyDecadesAreLabelledEveryFifthPower() {
        assertEquals(
                List.of("1e-30", "1e-25", "1e-20", "1e-15", "1e-10", "1e-5", "1"),
                labels(1e-30, 1));
    }

    @Test
    void unlabelledMultiplesAreMinorTicks() {
        DecadeAxis axis = new DecadeAxis("x");
        axis.setRange(0.5, 5000);

        List<NumberTick> ticks = ticks(axis);

        long minor = ticks.stream().filter(tick -> tick.getTickType() == TickType.MINOR).count();
        assertEquals(ticks.size() - 4, minor);
        assertEquals(0.5, ticks.get(0).getValue());
    }

    private static List<String> labels(double lower, double upper) {
        DecadeAxis axis = new DecadeAxis("x");
        axis.setRange(lower, upper);
        List<String> labels = new ArrayList<>();
        for (NumberTick tick : ticks(axis)) {
            if (tick.getTickType() == TickType.MAJOR) {
                labels.add(tick.getText());
            }
        }
        return labels;
    }

    @SuppressWarnings("unchecked")
    private static List<NumberTick> ticks(DecadeAxis axis) {
        return axis.refreshTicks(null, null, null, RectangleEdge.BOTTOM);
    }
}
