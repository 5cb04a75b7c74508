package org.sgdlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTableTest {
    @Test
    void rowsOfOneSeedBeyondTheLimitAreCutAndCounted() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            rows.add(row("r" + i, 1, i, i * 0.5));
        }

        ResultsTable table = ResultsTable.of(rows, 1, 40);

        assertEquals(40, table.rows().size());
        assertEquals("The first 40 of 45 runs.", table.caption());
        assertEquals(List.of("run", "seed", "width", "loss"), table.columns());
        assertEquals(List.of(false, true, true, true), table.numeric());
    }

    @Test
    void groupsAverageOverSeedsAndCountValuesThatAreNotFinite() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int width : new int[] {8, 16, 32}) {
            for (int seed = 1; seed <= 4; seed++) {
                Object loss = width == 32 && seed == 4 ? "NaN" : (Object) (width + seed * 1.0);
                rows.add(row("w" + width + "s" + seed, seed, width, loss));
            }
        }

        ResultsTable table = ResultsTable.of(rows, 4, 10);

        assertEquals(List.of("width", "runs", "loss"), table.columns());
        assertEquals(
                List.of(
                        List.of("8", "4", "10.5"),
                        List.of("16", "4", "18.5"),
                        List.of("32", "4", "34 (1 not finite)")),
                table.rows());
        assertEquals(
                "12 runs in 3 groups by width; numbers are means over the runs of a group,"
                        + " true/false columns count the runs where true.",
                table.caption());
    }

    private static Map<String, Object> row(String run, long seed, int width, Object loss) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run", run);
        row.put("seed", seed);
        row.put("width", width);
        row.put("loss", loss);
        return row;
    }
}
