package org.sgdlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compact table of an experiment's rows (its results.csv) for the report.
 *
 * <p>Up to {@code limit} rows are shown as they are. More rows are grouped when the sweep has
 * several seeds: the grouping columns are the longest run of leading columns after {@code run} and
 * {@code seed} that splits the rows into at most rows / seeds groups, which are the sweep's
 * parameters when it repeats each parameter combination over the seeds. A group shows its number of
 * runs, the mean of each numeric column over its finite values (with the count of values that are
 * not finite), the count of true values of each boolean column, and a text column's value when all
 * runs agree. When no grouping reduces the rows, the first {@code limit} rows are shown and the
 * caption says how many there are in all.
 *
 * @param columns the column headings
 * @param rows the cells, formatted
 * @param numeric for each column, whether its cells are numbers (right-aligned)
 * @param caption what the table shows, in words
 */
record ResultsTable(
        List<String> columns, List<List<String>> rows, List<Boolean> numeric, String caption) {
    private static final Set<String> IDENTIFIERS = Set.of("run", "seed");

    static ResultsTable of(List<Map<String, Object>> rows, int seedCount, int limit) {
        List<String> columns = columns(rows);
        if (rows.size() <= limit) {
            return plain(rows, columns, rows.size(), "All " + runs(rows.size()) + ".");
        }
        List<String> keys = groupingColumns(rows, columns, seedCount);
        if (keys.isEmpty()) {
            return plain(
                    rows.subList(0, limit),
                    columns,
                    limit,
                    "The first " + limit + " of " + runs(rows.size()) + ".");
        }
        return grouped(rows, columns, keys, limit);
    }

    private static ResultsTable plain(
            List<Map<String, Object>> rows, List<String> columns, int count, String caption) {
        List<List<String>> cells = new ArrayList<>();
        for (Map<String, Object> row : rows.subList(0, count)) {
            List<String> line = new ArrayList<>();
            for (String column : columns) {
                line.add(Text.value(row.get(column)));
            }
            cells.add(line);
        }
        List<Boolean> numeric = new ArrayList<>();
        for (String column : columns) {
            numeric.add(isNumeric(rows, column));
        }
        return new ResultsTable(columns, cells, numeric, caption);
    }

    private static ResultsTable grouped(
            List<Map<String, Object>> rows, List<String> columns, List<String> keys, int limit) {
        Map<List<Object>, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            List<Object> key = new ArrayList<>();
            keys.forEach(column -> key.add(row.get(column)));
            groups.computeIfAbsent(key, ignored -> new ArrayList<>()).add(row);
        }
        List<String> measured = new ArrayList<>();
        for (String column : columns) {
            if (!keys.contains(column) && !IDENTIFIERS.contains(column)) {
                measured.add(column);
            }
        }

        List<String> headings = new ArrayList<>(keys);
        headings.add("runs");
        headings.addAll(measured);
        List<Boolean> numeric = new ArrayList<>();
        keys.forEach(column -> numeric.add(isNumeric(rows, column)));
        numeric.add(true);
        measured.forEach(column -> numeric.add(isNumeric(rows, column)));

        List<List<String>> cells = new ArrayList<>();
        for (Map.Entry<List<Object>, List<Map<String, Object>>> group : groups.entrySet()) {
            if (cells.size() == limit) {
                break;
            }
            List<String> line = new ArrayList<>();
            group.getKey().forEach(value -> line.add(Text.value(value)));
            line.add(Integer.toString(group.getValue().size()));
            measured.forEach(column -> line.add(summary(group.getValue(), column)));
            cells.add(line);
        }

        String caption =
                runs(rows.size())
                        + " in "
                        + groups.size()
                        + " groups by "
                        + String.join(", ", keys)
                        + "; numbers are means over the runs of a group, true/false columns"
                        + " count the runs where true.";
        if (groups.size() > limit) {
            caption += " The first " + limit + " groups are shown.";
        }
        return new ResultsTable(headings, cells, numeric, caption);
    }

    private static List<String> columns(List<Map<String, Object>> rows) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(row -> columns.addAll(row.keySet()));
        return new ArrayList<>(columns);
    }

    private static List<String> groupingColumns(
            List<Map<String, Object>> rows, List<String> columns, int seedCount) {
        List<String> keys = new ArrayList<>();
        if (seedCount < 2) {
            return keys;
        }
        int most = rows.size() / seedCount;
        for (String column : columns) {
            if (IDENTIFIERS.contains(column)) {
                continue;
            }
            keys.add(column);
            if (groupCount(rows, keys) > most) {
                keys.remove(keys.size() - 1);
                break;
            }
        }
        return keys;
    }

    private static int groupCount(List<Map<String, Object>> rows, List<String> keys) {
        Set<List<Object>> distinct = new LinkedHashSet<>();
        for (Map<String, Object> row : rows) {
            List<Object> key = new ArrayList<>();
            keys.forEach(column -> key.add(row.get(column)));
            distinct.add(key);
        }
        return distinct.size();
    }

    private static String summary(List<Map<String, Object>> group, String column) {
        List<Object> values = new ArrayList<>();
        group.forEach(row -> values.add(row.get(column)));
        if (values.stream().allMatch(value -> value instanceof Boolean)) {
            long count = values.stream().filter(Boolean.TRUE::equals).count();
            return count + " of " + values.size();
        }
        if (values.stream().allMatch(value -> Text.numeric(value) != null)) {
            double sum = 0;
            int finite = 0;
            for (Object value : values) {
                double number = Text.numeric(value);
                if (Double.isFinite(number)) {
                    sum += number;
                    finite++;
                }
            }
            String mean = finite == 0 ? "" : Text.number(sum / finite);
            int other = values.size() - finite;
            return other == 0 ? mean : (mean + " (" + other + " not finite)").trim();
        }
        Set<String> distinct = new LinkedHashSet<>();
        values.forEach(value -> distinct.add(Text.value(value)));
        return distinct.size() == 1 ? distinct.iterator().next() : distinct.size() + " values";
    }

    private static boolean isNumeric(List<Map<String, Object>> rows, String column) {
        return rows.stream()
                .map(row -> row.get(column))
                .filter(Objects::nonNull)
                .allMatch(value -> Text.numeric(value) != null);
    }

    private static String runs(int count) {
        return count == 1 ? "1 run" : count + " runs";
    }
}
