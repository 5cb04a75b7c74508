package org.sgdlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pairing rows by seed and replicate, as a sweep read back from JSON may type them. */
class RowsTest {
    private static Map<String, Object> row(Object seed, Object replicate, double value) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("seed", seed);
        if (replicate != null) {
            row.put("replicate", replicate);
        }
        row.put("value", value);
        return row;
    }

    @Test
    void pairsMatchSeedAndReplicateAndSkipTheUnpaired() {
        List<Map<String, Object>> first =
                List.of(row(0L, 0, 1), row(0L, 1, 2), row(1L, 0, 3), row(2L, 0, 4));
        List<Map<String, Object>> second =
                List.of(row(1.0, 0L, 30), row(0, 1.0, 20), row(0L, 0L, 10));
        double[][] pairs = Rows.paired(first, second, "value");
        assertArrayEquals(new double[] {1, 2, 3}, pairs[0]);
        assertArrayEquals(new double[] {10, 20, 30}, pairs[1]);
    }

    @Test
    void aMissingReplicateColumnIsReplicateZero() {
        double[][] pairs = Rows.paired(List.of(row(5L, null, 1)), List.of(row(5L, 0, 7)), "value");
        assertEquals(1, pairs[0].length);
        assertEquals(7, pairs[1][0]);
    }
}
