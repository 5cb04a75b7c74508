package org.sgdlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
    @TempDir Path directory;

    /** A record whose red plane holds {@code red}, green {@code green} and blue {@code blue}. */
    private static byte[] record(int label, int red, int green, int blue) {
        byte[] record = new byte[Cifar10Reader.RECORD_BYTES];
        record[0] = (byte) label;
        for (int i = 0; i < 1024; i++) {
            record[1 + i] = (byte) red;
            record[1 + 1024 + i] = (byte) green;
            record[1 + 2048 + i] = (byte) blue;
        }
        return record;
    }

    private void writeBatch(Path folder, String name, int... labels) throws IOException {
        byte[][] records = new byte[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            records[i] = record(labels[i], labels[i] * 10, 100, 255);
        }
        Files.write(folder.resolve(name), TestBytes.concat(records));
    }

    private void writeAllBatches(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (int batch = 1; batch <= 5; batch++) {
            writeBatch(folder, "data_batch_" + batch + ".bin", batch, batch + 1);
        }
        writeBatch(folder, "test_batch.bin", 0, 9, 4);
    }

    @Test
    void recordsBecomeChannelFirstImagesInTheUnitInterval() throws IOException {
        byte[] record = record(6, 0, 0, 0);
        record[1] = (byte) 255;
        record[1 + 1024 + 32] = (byte) 51;
        record[1 + 2048 + 1023] = 102;
        Path file = Files.write(directory.resolve("one.bin"), record);

        Dataset data = Cifar10Reader.readBatch(file);

        assertArrayEquals(new int[] {1, 3, 32, 32}, data.inputs().shape());
        assertArrayEquals(new int[] {6}, data.labels());
        assertEquals(1f, data.inputs().get(0, 0, 0, 0));
        assertEquals(0.2f, data.inputs().get(0, 1, 1, 0));
        assertEquals(0.4f, data.inputs().get(0, 2, 31, 31));
        assertEquals(0f, data.inputs().get(0, 0, 0, 1));
    }

    @Test
    void trainingBatchesAreReadInOrderUpToTheLimit() throws IOException {
        writeAllBatches(directory);

        Dataset train = Cifar10Reader.load(directory, true);
        Dataset firstThree = Cifar10Reader.load(directory, true, 3);
        Dataset test = Cifar10Reader.load(directory, false);

        assertArrayEquals(new int[] {1, 2, 2, 3, 3, 4, 4, 5, 5, 6}, train.labels());
        assertEquals("cifar10-train", train.name());
        assertEquals(30 / 255f, train.inputs().get(3, 0, 5, 5));
        assertArrayEquals(new int[] {1, 2, 2}, firstThree.labels());
        assertArrayEquals(new int[] {3, 3, 32, 32}, firstThree.inputs().shape());
        assertArrayEquals(new int[] {0, 9, 4}, test.labels());
    }

    @Test
    void acceptsTheDirectoryAboveTheUnpackedArchive() throws IOException {
        writeAllBatches(directory.resolve("cifar-10-batches-bin"));

        assertEquals(3, Cifar10Reader.load(directory, false).size());
    }

    @Test
    void lengthThatIsNotAMultipleOfTheRecordIsAnError() throws IOException {
        Path file =
                Files.write(
                        directory.resolve("data_batch_1.bin"),
                        TestBytes.concat(record(1, 0, 0, 0), TestBytes.bytes(7)));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> Cifar10Reader.readBatch(file));

        assertEquals(
                file
                        + ": length 3074 bytes is not a positive multiple of the 3073-byte record"
                        + " (1 label byte + 3072 pixel bytes)",
                error.getMessage());
    }

    @Test
    void labelAboveNineNamesTheRecord() throws IOException {
        Path file =
                Files.write(
                        directory.resolve("test_batch.bin"),
                        TestBytes.concat(record(1, 0, 0, 0), record(10, 0, 0, 0)));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> Cifar10Reader.readBatch(file));

        assertEquals(
                file + ": label 10 in record 1 (byte 3073), expected a class in [0, 10)",
                error.getMessage());
    }

    @Test
    void missingBatchIsNamedWithWhereToGetIt() throws IOException {
        writeAllBatches(directory);
        Files.delete(directory.resolve("data_batch_4.bin"));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> Cifar10Reader.load(directory, true));

        assertEquals(
                "no CIFAR-10 file data_batch_4.bin in "
                        + directory
                        + ": expected data_batch_1.bin to data_batch_5.bin and test_batch.bin,"
                        + " the 'CIFAR-10 binary version' from"
                        + " https://www.cs.toronto.edu/~kriz/cifar.html",
                error.getMessage());
    }
}
