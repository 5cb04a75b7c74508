package org.sgdlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sgdlab.tensor.Tensor;

/**
 * Reads the binary version of CIFAR-10 (Krizhevsky 2009): 32 x 32 colour images of 10 classes,
 * 50,000 for training in {@code data_batch_1.bin} to {@code data_batch_5.bin} and 10,000 for
 * testing in {@code test_batch.bin}.
 *
 * <p>Each file is a sequence of 3073-byte records: one label byte (0..9), then 1024 red, 1024 green
 * and 1024 blue bytes, each plane row-major. A record becomes an input [3, 32, 32] with pixels p
 * scaled to p / 255 in [0, 1], so inputs are [n, 3, 32, 32] and targets the class indices in the
 * order of {@link #CLASS_NAMES}. No per-channel normalization is applied.
 *
 * <p>A file whose length is not a multiple of 3073 bytes, or a label above 9, is a {@link
 * DataFormatException} naming the file and the length or record.
 */
public final class Cifar10Reader {
    /** The number of classes. */
    public static final int CLASSES = 10;

    /** The bytes of one record: one label byte and 3 x 32 x 32 pixel bytes. */
    public static final int RECORD_BYTES = 1 + 3 * 32 * 32;

    /** The training files, in reading order. */
    public static final List<String> TRAIN_FILES =
            List.of(
                    "data_batch_1.bin",
                    "data_batch_2.bin",
                    "data_batch_3.bin",
                    "data_batch_4.bin",
                    "data_batch_5.bin");

    /** The test file. */
    public static final String TEST_FILE = "test_batch.bin";

    /** The name of each class, indexed by label. */
    public static final List<String> CLASS_NAMES =
            List.of(
                    "airplane",
                    "automobile",
                    "bird",
                    "cat",
                    "deer",
                    "dog",
                    "frog",
                    "horse",
                    "ship",
                    "truck");

    private static final String ARCHIVE_DIRECTORY = "cifar-10-batches-bin";
    private static final int PIXEL_BYTES = RECORD_BYTES - 1;
    private static final float PIXEL_LEVELS = 255f;

    private Cifar10Reader() {}

    /** The whole training or test set. */
    public static Dataset load(Path directory, boolean train) throws IOException {
        return load(directory, train, Integer.MAX_VALUE);
    }

    /**
     * The first {@code limit} examples of the training or test set, reading the training batches in
     * order.
     *
     * @param directory the directory holding the {@code .bin} files, or the one above it that holds
     *     {@code cifar-10-batches-bin} as unpacked from the archive
     * @param limit the most examples to read, positive
     * @throws DataFormatException when a file is missing or damaged
     */
    public static Dataset load(Path directory, boolean train, int limit) throws IOException {
        IdxReader.checkLimit(limit);
        Path batches = directory;
        if (!Files.isRegularFile(directory.resolve(TEST_FILE))
                && Files.isDirectory(directory.resolve(ARCHIVE_DIRECTORY))) {
            batches = directory.resolve(ARCHIVE_DIRECTORY);
        }
        List<String> names = train ? TRAIN_FILES : List.of(TEST_FILE);
        for (String name : names) {
            if (!Files.isRegularFile(batches.resolve(name))) {
                throw new DataFormatException(
                        "no CIFAR-10 file "
                                + name
                                + " in "
                                + batches
                                + ": expected data_batch_1.bin to data_batch_5.bin and"
                                + " test_batch.bin, the 'CIFAR-10 binary version' from"
                                + " https://www.cs.toronto.edu/~kriz/cifar.html");
            }
        }

        List<Path> files = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < names.size() && total < limit; i++) {
            Path file = batches.resolve(names.get(i));
            int count = (int) Math.min(recordCount(file), limit - total);
            files.add(file);
            counts.add(count);
            total += count;
        }

        float[] pixels = new float[total * PIXEL_BYTES];
        float[] labels = new float[total];
        int row = 0;
        for (int i = 0; i < files.size(); i++) {
            readRecords(files.get(i), counts.get(i), pixels, labels, row);
            row += counts.get(i);
        }
        return new Dataset(
                "cifar10-" + (train ? "train" : "test"),
                Tensor.wrap(pixels, total, 3, 32, 32),
                Tensor.wrap(labels, total),
                CLASSES);
    }

    /** All records of one batch file. */
    public static Dataset readBatch(Path file) throws IOException {
        return readBatch(file, Integer.MAX_VALUE);
    }

    /** The first {@code limit} records of one batch file; limit is positive. */
    public static Dataset readBatch(Path file, int limit) throws IOException {
        IdxReader.checkLimit(limit);
        int count = (int) Math.min(recordCount(file), limit);
        float[] pixels = new float[count * PIXEL_BYTES];
        float[] labels = new float[count];
        readRecords(file, count, pixels, labels, 0);
        String name = file.getFileName().toString().replaceFirst("\\.bin$", "");
        return new Dataset(
                name, Tensor.wrap(pixels, count, 3, 32, 32), Tensor.wrap(labels, count), CLASSES);
    }

    private static long recordCount(Path file) throws IOException {
        long length = Files.size(file);
        if (length == 0 || length % RECORD_BYTES != 0) {
            throw new DataFormatException(
                    file
                            + ": length "
                            + length
                            + " bytes is not a positive multiple of the "
                            + RECORD_BYTES
                            + "-byte record (1 label byte + "
                            + PIXEL_BYTES
                            + " pixel bytes)");
        }
        return length / RECORD_BYTES;
    }

    /**
     * Reads the first {@code count} records of the file into the arrays from row {@code firstRow}.
     */
    private static void readRecords(
            Path file, int count, float[] pixels, float[] labels, int firstRow) throws IOException {
        byte[] record = new byte[RECORD_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int i = 0; i < count; i++) {
                int read = in.readNBytes(record, 0, RECORD_BYTES);
                if (read < RECORD_BYTES) {
                    throw new DataFormatException(
                            file
                                    + ": truncated while reading: expected "
                                    + RECORD_BYTES
                                    + " bytes of record "
                                    + i
                                    + " at byte "
                                    + (long) i * RECORD_BYTES
                                    + ", found "
                                    + read);
                }
                int label = record[0] & 0xff;
                if (label >= CLASSES) {
                    throw new DataFormatException(
                            file
                                    + ": label "
                                    + label
                                    + " in record "
                                    + i
                                    + " (byte "
                                    + (long) i * RECORD_BYTES
                                    + "), expected a class in [0, "
                                    + CLASSES
                                    + ")");
                }
                int row = firstRow + i;
                labels[row] = label;
                for (int j = 0; j < PIXEL_BYTES; j++) {
                    pixels[row * PIXEL_BYTES + j] = (record[1 + j] & 0xff) / PIXEL_LEVELS;
                }
            }
        }
    }
}
