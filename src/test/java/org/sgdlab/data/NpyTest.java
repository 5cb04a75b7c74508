package org.sgdlab.data;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.tensor.Tensor;

class NpyTest {
    @TempDir Path directory;

    /** A .npy file of the given version with the header dict padded to 64 bytes, then the data. */
    private static byte[] npy(int major, String dict, byte[] data) {
        int lengthBytes = major == 1 ? 2 : 4;
        int prefix = 8 + lengthBytes;
        int padded = (prefix + dict.length() + 1 + 63) / 64 * 64 - prefix;
        String header = dict + " ".repeat(padded - dict.length() - 1) + "\n";
        ByteBuffer length = ByteBuffer.allocate(lengthBytes).order(LITTLE_ENDIAN);
        if (major == 1) {
            length.putShort((short) padded);
        } else {
            length.putInt(padded);
        }
        return TestBytes.concat(
                TestBytes.bytes(0x93, 'N', 'U', 'M', 'P', 'Y', major, 0),
                length.array(),
                TestBytes.ascii(header),
                data);
    }

    private static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '"
                + descr
                + "', 'fortran_order': "
                + (fortran ? "True" : "False")
                + ", 'shape': "
                + shape
                + ", }";
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(directory.resolve(name), bytes);
    }

    private Tensor read(String descr, String shape, byte[] data) throws IOException {
        return NpyReader.read(write("array.npy", npy(1, dict(descr, false, shape), data)));
    }

    @Test
    void writerProducesNumpysHeaderAndLittleEndianFloats() throws IOException {
        Path file = directory.resolve("x.npy");

        NpyWriter.write(file, Tensor.wrap(new float[] {1, 2, 3, 4, 5, -6.5f}, 2, 3));

        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        byte[] expected =
                TestBytes.concat(
                        TestBytes.bytes(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0),
                        TestBytes.ascii(dict + " ".repeat(58) + "\n"),
                        TestBytes.floats(LITTLE_ENDIAN, 1, 2, 3, 4, 5, -6.5f));
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void roundTripKeepsShapeAndValues() throws IOException {
        Tensor[] tensors = {
            Tensor.wrap(new float[] {1.5f, -2, 3e-8f}, 3),
            Tensor.scalar(7),
            Tensor.zeros(0, 4),
            Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2)
        };
        for (Tensor tensor : tensors) {
            Path file = directory.resolve("round.npy");
            NpyWriter.write(file, tensor);

            Tensor back = NpyReader.read(file);

            assertArrayEquals(tensor.shape(), back.shape());
            assertArrayEquals(tensor.data(), back.data());
            assertEquals(0, (Files.size(file) - 4L * tensor.numel()) % 64);
        }
    }

    @Test
    void oneDimensionalShapeIsWrittenAsAOneTuple() {
        String header =
                new String(
                        NpyWriter.preamble(new int[] {5}),
                        java.nio.charset.StandardCharsets.ISO_8859_1);

        assertEquals(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }",
                header.substring(10).strip());
    }

    @Test
    void readsEverySupportedDtypeAndByteOrder() throws IOException {
        assertArrayEquals(
                new float[] {1.25f, -3},
                read("<f8", "(2,)", TestBytes.doubles(LITTLE_ENDIAN, 1.25, -3)).data());
        assertArrayEquals(
                new float[] {1.25f, -3},
                read(">f8", "(2,)", TestBytes.doubles(BIG_ENDIAN, 1.25, -3)).data());
        assertArrayEquals(
                new float[] {0.5f, 8},
                read(">f4", "(2,)", TestBytes.floats(BIG_ENDIAN, 0.5f, 8)).data());
        assertArrayEquals(
                new float[] {-7, 70000},
                read("<i4", "(2,)", TestBytes.ints(LITTLE_ENDIAN, -7, 70000)).data());
        assertArrayEquals(
                new float[] {-7, 70000},
                read(">i4", "(2,)", TestBytes.ints(BIG_ENDIAN, -7, 70000)).data());
        assertArrayEquals(
                new float[] {-9, 1L << 40},
                read("<i8", "(2,)", TestBytes.longs(LITTLE_ENDIAN, -9, 1L << 40)).data());
        assertArrayEquals(
                new float[] {255, 1}, read("|u1", "(2,)", TestBytes.bytes(255, 1)).data());
        assertArrayEquals(
                new float[] {-1, 127}, read("|i1", "(2,)", TestBytes.bytes(255, 127)).data());
        assertArrayEquals(new float[] {1, 0}, read("|b1", "(2,)", TestBytes.bytes(1, 0)).data());
        assertArrayEquals(
                new float[] {65535, 2},
                read("<u2", "(2,)", TestBytes.shorts(LITTLE_ENDIAN, 0xffff, 2)).data());
        assertArrayEquals(
                new float[] {1.5f, -2, 0x1p-24f, Float.POSITIVE_INFINITY},
                read("<f2", "(4,)", TestBytes.shorts(LITTLE_ENDIAN, 0x3e00, 0xc000, 0x0001, 0x7c00))
                        .data());
    }

    @Test
    void readsVersionTwoAndThreeHeaders() throws IOException {
        for (int major : new int[] {2, 3}) {
            Path file =
                    write(
                            "v" + major + ".npy",
                            npy(
                                    major,
                                    dict("<f4", false, "(1, 2)"),
                                    TestBytes.floats(LITTLE_ENDIAN, 3, 4)));

            Tensor tensor = NpyReader.read(file);

            assertArrayEquals(new int[] {1, 2}, tensor.shape());
            assertArrayEquals(new float[] {3, 4}, tensor.data());
        }
    }

    @Test
    void fortranOrderIsTransposedToRowMajor() throws IOException {
        Tensor matrix =
                NpyReader.read(
                        write(
                                "f.npy",
                                npy(
                                        1,
                                        dict("<f4", true, "(2, 3)"),
                                        TestBytes.floats(LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6))));
        float[] columnMajor = new float[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    columnMajor[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
                }
            }
        }
        Tensor cube =
                NpyReader.read(
                        write(
                                "g.npy",
                                npy(
                                        1,
                                        dict("<f4", true, "(2, 3, 4)"),
                                        TestBytes.floats(LITTLE_ENDIAN, columnMajor))));

        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, matrix.data());
        assertEquals(123f, cube.get(1, 2, 3));
        assertEquals(112f, cube.get(1, 1, 2));
        assertEquals(3f, cube.get(0, 0, 3));
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        Path file = write("x.npy", TestBytes.ascii("PK\u0003\u0004 not an npy file"));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> NpyReader.read(file));

        assertEquals(
                file
                        + ": magic bytes 50 4b 03 04 20 6e at byte 0, expected 93 4e 55 4d 50 "
                        + "59 (\\x93NUMPY, a NumPy .npy file)",
                error.getMessage());
    }

    @Test
    void unknownVersionIsNamed() throws IOException {
        byte[] bytes = npy(1, dict("<f4", false, "(1,)"), new byte[4]);
        bytes[6] = 4;
        Path file = write("x.npy", bytes);

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> NpyReader.read(file));

        assertEquals(
                file + ": format version 4.0 at byte 6, expected 1.0, 2.0 or 3.0",
                error.getMessage());
    }

    @Test
    void malformedHeaderSaysWhereAndWhat() throws IOException {
        Path file =
                write(
                        "x.npy",
                        npy(
                                1,
                                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3 }",
                                new byte[24]));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> NpyReader.read(file));

        assertEquals(
                file + ": header syntax error at byte 66: expected ',' or ')', found '}'",
                error.getMessage());
    }

    @Test
    void missingShapeIsAnError() throws IOException {
        Path file = write("x.npy", npy(1, "{'descr': '<f4', 'fortran_order': False}", new byte[4]));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> NpyReader.read(file));

        assertEquals(
                file
                        + ": header at byte 10 is \"{'descr': '<f4', 'fortran_order': "
                        + "False}\", expected a tuple 'shape'",
                error.getMessage());
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        for (String descr : new String[] {"|O", "<c8", "<U3"}) {
            Path file = write("x.npy", npy(1, dict(descr, false, "(1,)"), new byte[8]));

            DataFormatException error =
                    assertThrows(DataFormatException.class, () -> NpyReader.read(file));

            assertEquals(
                    file
                            + ": dtype '"
                            + descr
                            + "' is not supported; expected one of f2 f4 f8 i1 i2 i4 i8 u1 u2 "
                            + "u4 u8 b1, with byte order <, > or |, for example '<f4'",
                    error.getMessage());
        }
    }

    @Test
    void truncatedDataSaysHowManyBytesWereExpectedAndFound() throws IOException {
        Path file = write("x.npy", npy(1, dict("<f4", false, "(2, 3)"), new byte[20]));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> NpyReader.read(file));

        assertEquals(
                file + ": truncated: expected 24 bytes of data at byte 128, found 20",
                error.getMessage());
    }

    @Test
    void headerLongerThanTheFileIsTruncation() throws IOException {
        byte[] bytes = npy(1, dict("<f4", false, "(1,)"), new byte[4]);
        Path file = write("x.npy", Arrays.copyOf(bytes, 40));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> NpyReader.read(file));

        assertEquals(
                file + ": truncated: expected 118 bytes of header at byte 10, found 30",
                error.getMessage());
    }

    @Test
    void bytesAfterTheDataAreAnError() throws IOException {
        Path file = write("x.npy", npy(1, dict("<f4", false, "(1,)"), new byte[6]));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> NpyReader.read(file));

        assertEquals(
                file
                        + ": 2 unexpected bytes at byte 132, expected the end of the file "
                        + "after the 1 values of shape [1]",
                error.getMessage());
    }

    @Test
    void integerLabelsMakeAClassificationSet() throws IOException {
        Path x =
                write(
                        "points.npy",
                        npy(
                                1,
                                dict("<f8", false, "(4, 2)"),
                                TestBytes.doubles(LITTLE_ENDIAN, 0, 1, 2, 3, 4, 5, 6, 7)));
        Path y =
                write(
                        "labels.npy",
                        npy(
                                1,
                                dict("<i8", false, "(4,)"),
                                TestBytes.longs(LITTLE_ENDIAN, 0, 2, 1, 2)));

        Dataset data = NpyReader.dataset(x, y);

        assertEquals("points", data.name());
        assertEquals(3, data.classes());
        assertArrayEquals(new int[] {0, 2, 1, 2}, data.labels());
        assertArrayEquals(new int[] {4, 2}, data.inputs().shape());
    }

    @Test
    void floatTargetsMakeARegressionSet() throws IOException {
        Path x =
                write(
                        "x.npy",
                        npy(
                                1,
                                dict("<f4", false, "(3,)"),
                                TestBytes.floats(LITTLE_ENDIAN, 1, 2, 3)));
        Path y =
                write(
                        "y.npy",
                        npy(
                                1,
                                dict("<f4", false, "(3,)"),
                                TestBytes.floats(LITTLE_ENDIAN, 0.5f, 1, 2)));
        Path wide =
                write(
                        "wide.npy",
                        npy(
                                1,
                                dict("<i4", false, "(3, 2)"),
                                TestBytes.ints(LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6)));

        Dataset regression = NpyReader.dataset(x, y);
        Dataset twoOutputs = NpyReader.dataset(x, wide);

        assertEquals(0, regression.classes());
        assertArrayEquals(new int[] {3, 1}, regression.inputs().shape());
        assertArrayEquals(new int[] {3, 1}, regression.targets().shape());
        assertArrayEquals(new int[] {3, 2}, twoOutputs.targets().shape());
        assertEquals(2, twoOutputs.outputDim());
    }

    @Test
    void rowCountMismatchNamesBothFiles() throws IOException {
        Path x = write("x.npy", npy(1, dict("<f4", false, "(3, 1)"), new byte[12]));
        Path y = write("y.npy", npy(1, dict("<i4", false, "(2,)"), new byte[8]));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> NpyReader.dataset(x, y));

        assertEquals(
                x
                        + " has shape [3, 1] but "
                        + y
                        + " has shape [2]; expected the same number of rows",
                error.getMessage());
    }

    @Test
    void negativeLabelIsRejected() throws IOException {
        Path x = write("x.npy", npy(1, dict("<f4", false, "(2, 1)"), new byte[8]));
        Path y =
                write(
                        "y.npy",
                        npy(1, dict("<i4", false, "(2,)"), TestBytes.ints(LITTLE_ENDIAN, 1, -1)));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> NpyReader.dataset(x, y));

        assertEquals(
                y
                        + ": label -1 at index 1, expected a class index in [0, 2^24); store "
                        + "regression targets with a float dtype",
                error.getMessage());
    }
}
