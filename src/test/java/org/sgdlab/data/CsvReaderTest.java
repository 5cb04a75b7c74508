package org.sgdlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.data.CsvReader.Header;
import org.sgdlab.data.CsvReader.LabelColumn;
import org.sgdlab.data.CsvReader.Options;
import org.sgdlab.data.CsvReader.Target;

class CsvReaderTest {
    @TempDir Path directory;

    private Path write(String text) throws IOException {
        return Files.writeString(directory.resolve("data.csv"), text);
    }

    @Test
    void detectsTheHeaderAndTakesLabelsFromTheLastColumn() throws IOException {
        Path file = write("width, height,\"class\"\n1.5,2,0\n-3,4e-1,2\n\n5,.5,1\n");

        Dataset data = CsvReader.read(file);

        assertEquals("data", data.name());
        assertEquals(3, data.classes());
        assertArrayEquals(new int[] {0, 2, 1}, data.labels());
        assertArrayEquals(new int[] {3, 2}, data.inputs().shape());
        assertArrayEquals(new float[] {1.5f, 2, -3, 0.4f, 5, 0.5f}, data.inputs().data());
    }

    @Test
    void labelColumnByNameOrIndex() throws IOException {
        Path file = write("label,a,b\n1,10,20\n0,30,40\n");

        Dataset byName =
                CsvReader.read(file, Options.DEFAULTS.withLabel(LabelColumn.named("label")));
        Dataset byIndex = CsvReader.read(file, Options.DEFAULTS.withLabel(LabelColumn.parse("0")));
        Dataset fromEnd = CsvReader.read(file, Options.DEFAULTS.withLabel(LabelColumn.index(-3)));

        assertArrayEquals(new int[] {1, 0}, byName.labels());
        assertArrayEquals(new float[] {10, 20, 30, 40}, byName.inputs().data());
        assertArrayEquals(byName.labels(), byIndex.labels());
        assertArrayEquals(byName.labels(), fromEnd.labels());
    }

    @Test
    void withoutHeaderEveryLineIsData() throws IOException {
        Path file = write("1,2,3\n4,5,6\n");

        Dataset detected = CsvReader.read(file);
        Dataset absent = CsvReader.read(file, Options.DEFAULTS.withHeader(Header.ABSENT));

        assertEquals(2, detected.size());
        assertArrayEquals(new int[] {3, 6}, absent.labels());
        assertEquals(7, absent.classes());
    }

    @Test
    void realValuedLabelsMakeARegressionSet() throws IOException {
        Path file = write("x,y\n1,0.5\n2,1.0\n");

        Dataset detected = CsvReader.read(file);
        Dataset forced =
                CsvReader.read(
                        write("x,y\n1,3\n2,4\n"), Options.DEFAULTS.withTarget(Target.REGRESSION));

        assertEquals(0, detected.classes());
        assertArrayEquals(new int[] {2, 1}, detected.targets().shape());
        assertArrayEquals(new float[] {0.5f, 1}, detected.targets().data());
        assertArrayEquals(new float[] {3, 4}, forced.targets().data());
    }

    @Test
    void cellThatIsNotANumberNamesFileLineAndColumn() throws IOException {
        Path file = write("a,b,label\n1,2,0\n3,x1,1\n");

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> CsvReader.read(file));

        assertEquals(file + ": line 3, column 2 (b): 'x1' is not a number", error.getMessage());
    }

    @Test
    void emptyCellIsNotANumber() throws IOException {
        Path file = write("1,,0\n");

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> CsvReader.read(file));

        assertEquals(
                file
                        + ": line 1, column 2: '' is not a number (if line 1 is a header, read "
                        + "with Header.PRESENT)",
                error.getMessage());
    }

    @Test
    void lineWithTheWrongNumberOfCellsIsAnError() throws IOException {
        Path file = write("a,b,c\n1,2,0\n3,4\n");

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> CsvReader.read(file));

        assertEquals(file + ": line 3 has 2 cells, expected 3 like line 1", error.getMessage());
    }

    @Test
    void forcedClassificationRejectsAFractionalLabel() throws IOException {
        Path file = write("a,b\n1,2\n3,0.5\n");

        DataFormatException error =
                assertThrows(
                        DataFormatException.class,
                        () ->
                                CsvReader.read(
                                        file, Options.DEFAULTS.withTarget(Target.CLASSIFICATION)));

        assertEquals(
                file
                        + ": line 3, column 2: label 0.5 is not a class index, expected an "
                        + "integer in [0, 2^24)",
                error.getMessage());
    }

    @Test
    void unknownColumnNameListsTheColumns() throws IOException {
        Path file = write("a,b,c\n1,2,0\n");

        DataFormatException error =
                assertThrows(
                        DataFormatException.class,
                        () ->
                                CsvReader.read(
                                        file,
                                        Options.DEFAULTS.withLabel(LabelColumn.named("target"))));

        assertEquals(
                file
                        + ": no column named 'target' in the header on line 1, expected one of "
                        + "a, b, c",
                error.getMessage());
    }

    @Test
    void columnIndexOutsideTheRowIsAnError() throws IOException {
        Path file = write("1,2,0\n");

        DataFormatException error =
                assertThrows(
                        DataFormatException.class,
                        () ->
                                CsvReader.read(
                                        file, Options.DEFAULTS.withLabel(LabelColumn.index(3))));

        assertEquals(
                file + ": label column index 3 is outside the 3 columns; expected 0..2 or -3..-1",
                error.getMessage());
    }
}
