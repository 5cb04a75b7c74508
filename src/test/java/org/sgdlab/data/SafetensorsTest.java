package org.sgdlab.data;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.tensor.Tensor;

class SafetensorsTest {
    @TempDir Path directory;

    /** A safetensors file: the length of the padded header, the header, then the data. */
    private static byte[] file(String header, byte[]... data) {
        byte[] headerBytes = TestBytes.ascii(header);
        return TestBytes.concat(
                TestBytes.littleEndianLong(headerBytes.length),
                headerBytes,
                TestBytes.concat(data));
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(directory.resolve("model.safetensors"), bytes);
    }

    private DataFormatException rejected(String header, byte[]... data) throws IOException {
        Path file = write(file(header, data));
        return assertThrows(DataFormatException.class, () -> Safetensors.read(file));
    }

    @Test
    void writesTheBytesTheSpecificationPrescribes() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", Tensor.wrap(new float[] {1, 2, 3, 4}, 2, 2));
        tensors.put("bias", Tensor.wrap(new float[] {0.5f, -1}, 2));
        Path file = directory.resolve("model.safetensors");

        Safetensors.write(file, tensors, Map.of("format", "pt"));

        byte[] expected =
                TestBytes.concat(
                        TestBytes.bytes(152, 0, 0, 0, 0, 0, 0, 0),
                        TestBytes.ascii(
                                "{\"__metadata__\":{\"format\":\"pt\"},"
                                        + "\"bias\":{\"dtype\":\"F32\",\"shape\":[2],"
                                        + "\"data_offsets\":[0,8]},"
                                        + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],"
                                        + "\"data_offsets\":[8,24]}}"
                                        + "   "),
                        TestBytes.bytes(0x00, 0x00, 0x00, 0x3f, 0x00, 0x00, 0x80, 0xbf),
                        TestBytes.bytes(
                                0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x40,
                                0x40, 0x00, 0x00, 0x80, 0x40));
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void writesAPaddedHeaderWithoutMetadata() throws IOException {
        Path file = directory.resolve("attention.safetensors");

        Safetensors.write(
                file, Map.of("attn0", Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5}, 1, 1, 2, 3)));

        byte[] expected =
                TestBytes.concat(
                        TestBytes.bytes(72, 0, 0, 0, 0, 0, 0, 0),
                        TestBytes.ascii(
                                "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],"
                                        + "\"data_offsets\":[0,24]}}"
                                        + "       "),
                        TestBytes.floats(LITTLE_ENDIAN, 0, 1, 2, 3, 4, 5));
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void readsAFileWrittenTheWayThePythonLibraryWritesIt() throws IOException {
        String header =
                "{\"__metadata__\":{\"format\":\"np\",\"step\":\"12\"},"
                        + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                        + "\"w64\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]},"
                        + "\"w32\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[24,32]},"
                        + "\"i32\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[32,44]},"
                        + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[44,48]},"
                        + "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[48,52]}}";
        String padded = header + " ".repeat((8 - header.length() % 8) % 8);
        Path file =
                write(
                        file(
                                padded,
                                TestBytes.longs(LITTLE_ENDIAN, 12),
                                TestBytes.doubles(LITTLE_ENDIAN, 0.25, -1e3),
                                TestBytes.floats(LITTLE_ENDIAN, 7, 8),
                                TestBytes.ints(LITTLE_ENDIAN, -1, 0, 100000),
                                TestBytes.shorts(LITTLE_ENDIAN, 0x3f80, 0xc060),
                                TestBytes.shorts(LITTLE_ENDIAN, 0x3e00, 0x0001)));

        Map<String, Tensor> tensors = Safetensors.read(file);

        assertEquals(
                List.of("step", "w64", "w32", "i32", "bf", "h"), new ArrayList<>(tensors.keySet()));
        assertEquals(0, tensors.get("step").rank());
        assertEquals(12f, tensors.get("step").item());
        assertArrayEquals(new float[] {0.25f, -1000}, tensors.get("w64").data());
        assertArrayEquals(new int[] {2, 1}, tensors.get("w32").shape());
        assertArrayEquals(new float[] {7, 8}, tensors.get("w32").data());
        assertArrayEquals(new float[] {-1, 0, 100000}, tensors.get("i32").data());
        assertArrayEquals(new float[] {1, -3.5f}, tensors.get("bf").data());
        assertArrayEquals(new float[] {1.5f, 0x1p-24f}, tensors.get("h").data());
        assertEquals(Map.of("format", "np", "step", "12"), Safetensors.readMetadata(file));
    }

    @Test
    void readsTensorsInTheOrderOfTheirDataNotOfTheHeader() throws IOException {
        Path file =
                write(
                        file(
                                "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],"
                                        + "\"data_offsets\":[0,4]}} ",
                                TestBytes.floats(LITTLE_ENDIAN, 1, 2)));

        Map<String, Tensor> tensors = Safetensors.read(file);

        assertEquals(List.of("a", "b"), new ArrayList<>(tensors.keySet()));
        assertEquals(2f, tensors.get("b").item());
    }

    @Test
    void roundTripSortsByNameAndKeepsValues() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put(
                "layers.1.weight", Tensor.wrap(new float[] {1, -2, 3.25f, Float.MIN_VALUE}, 2, 2));
        tensors.put("layers.0.weight", Tensor.wrap(new float[] {9}, 1, 1));
        tensors.put("empty", Tensor.zeros(0, 3));
        tensors.put("scale", Tensor.scalar(0.125));
        Path file = directory.resolve("checkpoint.safetensors");

        Safetensors.write(file, tensors, Map.of("step", "100", "seed", "7"));
        Safetensors.Contents contents = Safetensors.readContents(file);

        assertEquals(
                List.of("empty", "layers.0.weight", "layers.1.weight", "scale"),
                new ArrayList<>(contents.tensors().keySet()));
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            Tensor back = contents.tensors().get(entry.getKey());
            assertArrayEquals(entry.getValue().shape(), back.shape());
            assertArrayEquals(entry.getValue().data(), back.data());
        }
        assertEquals(Map.of("step", "100", "seed", "7"), contents.metadata());
        assertEquals(0, (Files.size(file) - 8 - 4 * 6) % 8);
    }

    @Test
    void rejectsAHeaderLengthLargerThanTheFile() throws IOException {
        Path file =
                write(
                        TestBytes.concat(
                                TestBytes.littleEndianLong(1000), TestBytes.ascii("{}      ")));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> Safetensors.read(file));

        assertEquals(
                file + ": header length 1000 at byte 0 is larger than the 8 bytes that follow it",
                error.getMessage());
    }

    @Test
    void rejectsAFileShorterThanTheLengthField() throws IOException {
        Path file = write(TestBytes.bytes(8, 0, 0));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> Safetensors.read(file));

        assertEquals(
                file
                        + ": 3 bytes, expected at least the 8-byte header length of a "
                        + "safetensors file",
                error.getMessage());
    }

    @Test
    void rejectsInvalidJson() throws IOException {
        DataFormatException error = rejected("{\"a\":{\"dtype\":\"F32\",", new byte[4]);

        assertEquals(
                true,
                error.getMessage()
                        .startsWith(
                                directory.resolve("model.safetensors")
                                        + ": header at byte 8 is not valid JSON: "),
                error.getMessage());
    }

    @Test
    void rejectsAHeaderThatIsNotAnObject() throws IOException {
        DataFormatException error = rejected("[1, 2]  ");

        assertEquals(
                directory.resolve("model.safetensors")
                        + ": header at byte 8 is not a JSON object, expected {\"name\": {...}}",
                error.getMessage());
    }

    @Test
    void rejectsDuplicateNames() throws IOException {
        DataFormatException error =
                rejected(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                        new byte[8]);

        assertEquals(true, error.getMessage().contains("Duplicate field 'a'"), error.getMessage());
    }

    @Test
    void rejectsOverlappingOffsets() throws IOException {
        DataFormatException error =
                rejected(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                        new byte[8]);

        assertEquals(
                directory.resolve("model.safetensors")
                        + ": tensor 'b' has data_offsets [4, 8] that overlap tensor 'a' ending "
                        + "at 8",
                error.getMessage());
    }

    @Test
    void rejectsAGapBetweenTensors() throws IOException {
        DataFormatException error =
                rejected(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],"
                                + "\"data_offsets\":[8,12]}}",
                        new byte[12]);

        assertEquals(
                directory.resolve("model.safetensors")
                        + ": tensor 'b' has data_offsets [8, 12] that leave a gap of 4 bytes "
                        + "after tensor 'a'; expected it to begin at 4",
                error.getMessage());
    }

    @Test
    void rejectsOffsetsBeyondTheBuffer() throws IOException {
        DataFormatException error =
                rejected(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                        new byte[8]);

        assertEquals(
                directory.resolve("model.safetensors")
                        + ": tensor 'a' has data_offsets [0, 16] that reach beyond the 8-byte "
                        + "data buffer",
                error.getMessage());
    }

    @Test
    void rejectsOffsetsThatDisagreeWithTheShape() throws IOException {
        DataFormatException error =
                rejected(
                        "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                        new byte[8]);

        assertEquals(
                directory.resolve("model.safetensors")
                        + ": tensor 'a' has data_offsets [0, 8] spanning 8 bytes, expected 16 "
                        + "for shape [2] of F64",
                error.getMessage());
    }

    @Test
    void rejectsBytesAfterTheLastTensor() throws IOException {
        DataFormatException error =
                rejected(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                        new byte[6]);

        assertEquals(
                directory.resolve("model.safetensors")
                        + ": 2 bytes after the last tensor's data at buffer offset 4; expected "
                        + "the tensors to cover the 6-byte buffer exactly",
                error.getMessage());
    }

    @Test
    void rejectsAnUnknownDtype() throws IOException {
        DataFormatException error =
                rejected(
                        "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}",
                        new byte[1]);

        assertEquals(
                directory.resolve("model.safetensors")
                        + ": tensor 'a' has dtype 'F8_E4M3', expected one of F64 F32 F16 BF16 "
                        + "I64 I32 I16 I8 U8 BOOL",
                error.getMessage());
    }

    @Test
    void rejectsMetadataThatIsNotStrings() throws IOException {
        DataFormatException error = rejected("{\"__metadata__\":{\"step\":12}}");

        assertEquals(
                directory.resolve("model.safetensors")
                        + ": __metadata__ value of 'step' is 12, expected a string",
                error.getMessage());
    }

    @Test
    void overwritingLeavesOnlyTheTargetFile() throws IOException {
        Path file = directory.resolve("model.safetensors");
        Safetensors.write(file, Map.of("a", Tensor.scalar(1)));

        Safetensors.write(file, Map.of("a", Tensor.scalar(2)));

        assertEquals(2f, Safetensors.read(file).get("a").item());
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aFailureWhileWritingKeepsTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = directory.resolve("model.safetensors");
        Safetensors.write(file, Map.of("a", Tensor.scalar(1)));
        byte[] before = Files.readAllBytes(file);

        assertThrows(IllegalStateException.class, () -> Safetensors.write(file, new FailingMap(2)));

        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void reservedNameIsRejected() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Safetensors.write(
                                        directory.resolve("x.safetensors"),
                                        Map.of("__metadata__", Tensor.scalar(1))));

        assertEquals(
                "tensor name must be a non-empty string other than __metadata__, got "
                        + "'__metadata__'",
                error.getMessage());
    }

    /** A one-tensor map whose lookups fail after the given number, to break a write midway. */
    private static final class FailingMap extends AbstractMap<String, Tensor> {
        private final int allowedLookups;
        private int lookups;

        FailingMap(int allowedLookups) {
            this.allowedLookups = allowedLookups;
        }

        @Override
        public Tensor get(Object key) {
            if (++lookups > allowedLookups) {
                throw new IllegalStateException("lookup " + lookups + " fails");
            }
            return Tensor.scalar(3);
        }

        @Override
        public Set<Entry<String, Tensor>> entrySet() {
            return Set.of(Map.entry("a", Tensor.scalar(3)));
        }
    }
}
