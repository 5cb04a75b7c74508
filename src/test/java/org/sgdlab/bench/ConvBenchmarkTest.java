package org.sgdlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvBenchmarkTest {
    @Test
    void everyRowHasPositiveTimesAndRatesThatAgree() {
        List<Map<String, Object>> rows = new ConvBenchmark(new Timer(0, 0, 1), 2).run();
        assertEquals(5, rows.size());
        for (Map<String, Object> row : rows) {
            assertEquals(2, row.get("batch"));
            double time = (Double) row.get("time_us");
            double blas = (Double) row.get("blas_us");
            assertTrue(time > 0 && blas > 0, row.toString());
            double expected = blas / time;
            assertEquals(expected, (Double) row.get("fraction_of_blas"), 1e-9 * expected);
            double gflopsRatio = (Double) row.get("gflops") / (Double) row.get("blas_gflops");
            assertEquals(expected, gflopsRatio, 1e-9 * expected);
        }
        assertEquals("cnn step", rows.get(3).get("benchmark"));
    }
}
