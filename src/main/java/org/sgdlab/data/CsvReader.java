package org.sgdlab.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.sgdlab.tensor.Tensor;

/**
 * Reads a numeric CSV file into a data set: one example per line, one column of labels, every other
 * column a feature.
 *
 * <p>Cells are separated by commas and trimmed of surrounding spaces; every cell of a data line
 * must be a decimal number such as {@code 3}, {@code -0.25} or {@code 1e-3} (no NaN, infinity or
 * quoting; header names may be wrapped in double quotes). Blank lines are skipped. Line and column
 * numbers in messages count from 1.
 *
 * <p>Options: whether the first line is a header ({@link Header#DETECT} treats it as one when none
 * of its cells is a number), which column holds the labels (by name or index; the last by default),
 * and whether the task is classification or regression ({@link Target#DETECT} chooses
 * classification when every label is written as a plain non-negative integer such as {@code 7},
 * with classes = max + 1, and regression otherwise, with targets [n, 1]). Inputs are [n, columns -
 * 1] in column order.
 */
public final class CsvReader {
    private static final Pattern NUMBER =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern PLAIN_INTEGER = Pattern.compile("\\+?\\d+");
    private static final int MAX_EXACT_LABEL = 1 << 24;

    /** Whether the first non-blank line names the columns. */
    public enum Header {
        /** A header when none of the first line's cells is a number. */
        DETECT,
        /** The first line is a header. */
        PRESENT,
        /** Every line is data. */
        ABSENT
    }

    /** Whether the labels are class indices or regression targets. */
    public enum Target {
        /** Classification when every label is a plain non-negative integer, else regression. */
        DETECT,
        /** Labels are class indices 0..classes-1, written as integers. */
        CLASSIFICATION,
        /** Labels are real-valued targets, one output. */
        REGRESSION
    }

    /**
     * The column that holds the labels: by header name, or by 0-based index where negative indices
     * count from the end (-1 is the last column).
     */
    public static final class LabelColumn {
        private final String name;
        private final int index;

        private LabelColumn(String name, int index) {
            this.name = name;
            this.index = index;
        }

        /** The last column. */
        public static LabelColumn last() {
            return new LabelColumn(null, -1);
        }

        /** The column at a 0-based index; negative indices count from the end. */
        public static LabelColumn index(int index) {
            return new LabelColumn(null, index);
        }

        /** The column with this header name; the file must have a header. */
        public static LabelColumn named(String name) {
            return new LabelColumn(Objects.requireNonNull(name, "name"), 0);
        }

        /** An integer is an index, anything else a name. */
        public static LabelColumn parse(String text) {
            return text.matches("-?\\d+") ? index(Integer.parseInt(text)) : named(text);
        }

        @Override
        public String toString() {
            return name != null ? "column '" + name + "'" : "column index " + index;
        }
    }

    /**
     * How to read a file; {@link #DEFAULTS} detects the header and the task and uses the last
     * column.
     */
    public record Options(Header header, LabelColumn label, Target target) {
        /** Detect the header, labels in the last column, detect the task. */
        public static final Options DEFAULTS =
                new Options(Header.DETECT, LabelColumn.last(), Target.DETECT);

        public Options {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(target, "target");
        }

        public Options withHeader(Header newHeader) {
            return new Options(newHeader, label, target);
        }

        public Options withLabel(LabelColumn newLabel) {
            return new Options(header, newLabel, target);
        }

        public Options withTarget(Target newTarget) {
            return new Options(header, label, newTarget);
        }
    }

    private CsvReader() {}

    /** Reads the file with {@link Options#DEFAULTS}. */
    public static Dataset read(Path file) throws IOException {
        return read(file, Options.DEFAULTS);
    }

    /**
     * Reads the file; the data set is named after the file without {@code .csv}.
     *
     * @throws DataFormatException naming the file, line and column of a cell that is not a number,
     *     a line with the wrong number of cells, an unknown label column, or a label that is not a
     *     class index
     */
    public static Dataset read(Path file, Options options) throws IOException {
        String source = file.toString();
        List<String[]> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (!line.isBlank()) {
                    rows.add(split(line));
                    lineNumbers.add(lineNumber);
                }
            }
        }
        if (rows.isEmpty()) {
            throw new DataFormatException(source + ": no lines, expected numeric CSV rows");
        }

        String[] first = rows.get(0);
        boolean hasHeader =
                options.header() == Header.PRESENT
                        || options.header() == Header.DETECT
                                && Arrays.stream(first).noneMatch(CsvReader::isNumber);
        String[] names = hasHeader ? unquote(first) : null;
        int columns = first.length;
        if (columns < 2) {
            throw new DataFormatException(
                    source
                            + ": line "
                            + lineNumbers.get(0)
                            + " has "
                            + columns
                            + " column, expected at least one feature column and a label column");
        }
        int labelColumn = resolve(options.label(), names, columns, source, lineNumbers.get(0));

        int dataStart = hasHeader ? 1 : 0;
        int count = rows.size() - dataStart;
        if (count == 0) {
            throw new DataFormatException(
                    source + ": only a header line, expected at least one data line after it");
        }
        float[] inputs = new float[count * (columns - 1)];
        double[] labels = new double[count];
        boolean plainIntegers = true;
        for (int row = 0; row < count; row++) {
            String[] cells = rows.get(dataStart + row);
            int lineNumber = lineNumbers.get(dataStart + row);
            if (cells.length != columns) {
                throw new DataFormatException(
                        source
                                + ": line "
                                + lineNumber
                                + " has "
                                + cells.length
                                + " cells, expected "
                                + columns
                                + " like line "
                                + lineNumbers.get(0));
            }
            int feature = 0;
            for (int column = 0; column < columns; column++) {
                String cell = cells[column];
                if (!isNumber(cell)) {
                    throw new DataFormatException(
                            source
                                    + ": line "
                                    + lineNumber
                                    + ", column "
                                    + (column + 1)
                                    + (names != null ? " (" + names[column] + ")" : "")
                                    + ": '"
                                    + cell
                                    + "' is not a number"
                                    + (row == 0 && !hasHeader && options.header() == Header.DETECT
                                            ? " (if line "
                                                    + lineNumber
                                                    + " is a header, read with Header.PRESENT)"
                                            : ""));
                }
                double value = Double.parseDouble(cell);
                if (column == labelColumn) {
                    labels[row] = value;
                    plainIntegers &= PLAIN_INTEGER.matcher(cell).matches();
                } else {
                    inputs[row * (columns - 1) + feature++] = (float) value;
                }
            }
        }

        String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
        Tensor inputTensor = Tensor.wrap(inputs, count, columns - 1);
        boolean classification =
                options.target() == Target.CLASSIFICATION
                        || options.target() == Target.DETECT && plainIntegers;
        if (!classification) {
            float[] targets = new float[count];
            for (int row = 0; row < count; row++) {
                targets[row] = (float) labels[row];
            }
            return new Dataset(name, inputTensor, Tensor.wrap(targets, count, 1), 0);
        }

        float[] classes = new float[count];
        int classCount = 0;
        for (int row = 0; row < count; row++) {
            double label = labels[row];
            if (label < 0 || label >= MAX_EXACT_LABEL || label != Math.rint(label)) {
                throw new DataFormatException(
                        source
                                + ": line "
                                + lineNumbers.get(dataStart + row)
                                + ", column "
                                + (labelColumn + 1)
                                + ": label "
                                + rows.get(dataStart + row)[labelColumn]
                                + " is not a class index, expected an integer in [0, 2^24)");
            }
            classes[row] = (float) label;
            classCount = Math.max(classCount, (int) label + 1);
        }
        return new Dataset(name, inputTensor, Tensor.wrap(classes, count), classCount);
    }

    private static int resolve(
            LabelColumn label, String[] names, int columns, String source, int headerLine) {
        if (label.name != null) {
            if (names == null) {
                throw new DataFormatException(
                        source
                                + ": label column '"
                                + label.name
                                + "' asked by name, but line "
                                + headerLine
                                + " is not a header; name the column by index instead");
            }
            int found = Arrays.asList(names).indexOf(label.name);
            if (found < 0) {
                throw new DataFormatException(
                        source
                                + ": no column named '"
                                + label.name
                                + "' in the header on line "
                                + headerLine
                                + ", expected one of "
                                + String.join(", ", names));
            }
            return found;
        }
        int index = label.index < 0 ? label.index + columns : label.index;
        if (index < 0 || index >= columns) {
            throw new DataFormatException(
                    source
                            + ": label column index "
                            + label.index
                            + " is outside the "
                            + columns
                            + " columns; expected 0.."
                            + (columns - 1)
                            + " or -"
                            + columns
                            + "..-1");
        }
        return index;
    }

    private static String[] split(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].strip();
        }
        return cells;
    }

    private static String[] unquote(String[] cells) {
        String[] names = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            boolean quoted = cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"");
            names[i] = quoted ? cell.substring(1, cell.length() - 1) : cell;
        }
        return names;
    }

    private static boolean isNumber(String cell) {
        return NUMBER.matcher(cell).matches();
    }
}
