package org.sgdlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdlab.data.IdxReader.ImageLayout;
import org.sgdlab.tensor.Tensor;

class IdxReaderTest {
    @TempDir Path directory;

    private static final byte[] TWO_IMAGES =
            TestBytes.bytes(0, 255, 51, 102, 153, 204, 1, 2, 3, 4, 5, 6);

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(directory.resolve(name), bytes);
    }

    @Test
    void readsImagesScaledToTheUnitInterval() throws IOException {
        Path file = directory.resolve("images-idx3-ubyte.gz");
        IdxWriter.write(file, new int[] {2, 2, 3}, TWO_IMAGES);

        Tensor flat = IdxReader.readImages(file);
        Tensor channels = IdxReader.readImages(file, ImageLayout.CHANNELS, 10);

        assertArrayEquals(new int[] {2, 6}, flat.shape());
        assertArrayEquals(new int[] {2, 1, 2, 3}, channels.shape());
        assertEquals(0f, flat.get(0, 0));
        assertEquals(1f, flat.get(0, 1));
        assertEquals(0.2f, flat.get(0, 2));
        assertEquals(6 / 255f, channels.get(1, 0, 1, 2));
    }

    @Test
    void detectsGzipByItsMagicBytesNotByItsName() throws IOException {
        byte[] plain = TestBytes.idx(IdxReader.IMAGES_MAGIC, new int[] {2, 2, 3}, TWO_IMAGES);
        Path compressedWithoutSuffix = write("images-idx3-ubyte", TestBytes.gzip(plain));
        Path plainWithSuffix = write("images-idx3-ubyte.gz", plain);

        Tensor fromCompressed = IdxReader.readImages(compressedWithoutSuffix);
        Tensor fromPlain = IdxReader.readImages(plainWithSuffix);

        assertArrayEquals(fromPlain.data(), fromCompressed.data());
        assertEquals(102 / 255f, fromPlain.get(0, 3));
    }

    @Test
    void writerCompressesOnlyWhenTheNameEndsInGz() throws IOException {
        Path plain = directory.resolve("labels");
        Path compressed = directory.resolve("labels.gz");
        IdxWriter.writeLabels(plain, new int[] {7, 0, 9});
        IdxWriter.writeLabels(compressed, new int[] {7, 0, 9});

        assertArrayEquals(
                TestBytes.idx(IdxReader.LABELS_MAGIC, new int[] {3}, TestBytes.bytes(7, 0, 9)),
                Files.readAllBytes(plain));
        assertArrayEquals(
                TestBytes.bytes(0x1f, 0x8b), Arrays.copyOf(Files.readAllBytes(compressed), 2));
        assertArrayEquals(new float[] {7, 0, 9}, IdxReader.readLabels(compressed).data());
    }

    @Test
    void imageWriterRoundTripsPixelLevels() throws IOException {
        Path file = directory.resolve("images.gz");
        Tensor images = Tensor.wrap(new float[] {0, 1 / 255f, 128 / 255f, 1}, 1, 4);

        IdxWriter.writeImages(file, images, 2, 2);

        assertArrayEquals(images.data(), IdxReader.readImages(file).data());
    }

    @Test
    void limitReadsTheLeadingExamples() throws IOException {
        Path file = directory.resolve("labels.gz");
        IdxWriter.writeLabels(file, new int[] {3, 1, 4, 1, 5});

        assertArrayEquals(new float[] {3, 1}, IdxReader.readLabels(file, 2).data());
        assertArrayEquals(new float[] {3, 1, 4, 1, 5}, IdxReader.readLabels(file, 99).data());
    }

    @Test
    void wrongMagicNumberNamesFileByteAndExpectation() throws IOException {
        Path file =
                write(
                        "train-images-idx3-ubyte",
                        TestBytes.idx(IdxReader.LABELS_MAGIC, new int[] {1}, TestBytes.bytes(4)));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));

        assertEquals(
                file + ": magic number 0x00000801 at byte 0, expected 0x00000803 (images)",
                error.getMessage());
    }

    @Test
    void truncatedBodySaysHowManyBytesWereExpectedAndFound() throws IOException {
        byte[] whole = TestBytes.idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 2}, new byte[12]);
        Path file = write("cut-idx3-ubyte", Arrays.copyOf(whole, whole.length - 5));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));

        assertEquals(
                file + ": truncated: expected 12 bytes of 3 images at byte 16, found 7",
                error.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path file = write("short", TestBytes.bytes(0, 0, 8, 3, 0, 0));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));

        assertEquals(
                file + ": truncated: expected 4 bytes of extent 0 at byte 4, found 2",
                error.getMessage());
    }

    @Test
    void truncatedGzipStreamIsAnErrorNotAPartialRead() throws IOException {
        byte[] pixels = new byte[4000];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7919 >>> 3);
        }
        byte[] compressed =
                TestBytes.gzip(
                        TestBytes.idx(IdxReader.IMAGES_MAGIC, new int[] {10, 20, 20}, pixels));
        Path file = write("cut.gz", Arrays.copyOf(compressed, compressed.length / 2));

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));

        assertTrue(
                error.getMessage()
                        .startsWith(
                                file
                                        + ": truncated: expected 4000 bytes of 10 images at "
                                        + "byte 16 (decompressed), found "),
                error.getMessage());
    }

    @Test
    void dataAfterTheAnnouncedValuesIsAnError() throws IOException {
        byte[] labels =
                TestBytes.idx(IdxReader.LABELS_MAGIC, new int[] {2}, TestBytes.bytes(1, 2, 3));
        Path file = write("long-labels", labels);

        DataFormatException error =
                assertThrows(DataFormatException.class, () -> IdxReader.readLabels(file));

        assertEquals(
                file
                        + ": unexpected data at byte 10, expected the end after the 2 labels "
                        + "the header announces",
                error.getMessage());
    }

    @Test
    void pairWithDifferentCountsIsAnError() throws IOException {
        Path images = directory.resolve("images.gz");
        Path labels = directory.resolve("labels.gz");
        IdxWriter.write(images, new int[] {2, 2, 3}, TWO_IMAGES);
        IdxWriter.writeLabels(labels, new int[] {1, 2, 3});

        DataFormatException error =
                assertThrows(
                        DataFormatException.class,
                        () ->
                                IdxReader.readPair(
                                        "pair", images, labels, 10, ImageLayout.FLAT, 100));

        assertEquals(
                images
                        + " holds 2 images but "
                        + labels
                        + " holds 3 labels; expected the same count",
                error.getMessage());
    }

    @Test
    void pairBecomesAClassificationSet() throws IOException {
        Path images = directory.resolve("images.gz");
        Path labels = directory.resolve("labels.gz");
        IdxWriter.write(images, new int[] {2, 2, 3}, TWO_IMAGES);
        IdxWriter.writeLabels(labels, new int[] {4, 9});

        Dataset data = IdxReader.readPair("pair", images, labels, 10, ImageLayout.FLAT, 1);

        assertEquals(1, data.size());
        assertEquals(10, data.classes());
        assertArrayEquals(new int[] {4}, data.labels());
        assertEquals(6, data.inputDim());
    }

    @Test
    void labelOutsideTheClassesNamesItsByte() throws IOException {
        Path images = directory.resolve("images.gz");
        Path labels = directory.resolve("labels.gz");
        IdxWriter.write(images, new int[] {2, 2, 3}, TWO_IMAGES);
        IdxWriter.writeLabels(labels, new int[] {4, 12});

        DataFormatException error =
                assertThrows(
                        DataFormatException.class,
                        () ->
                                IdxReader.readPair(
                                        "pair", images, labels, 10, ImageLayout.FLAT, 100));

        assertEquals(
                labels + ": label 12 at byte 9 (example 1), expected a class in [0, 10)",
                error.getMessage());
    }

    @Test
    void nonPositiveLimitIsRejected() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> IdxReader.readLabels(directory.resolve("unused"), 0));

        assertEquals("limit must be a positive number of examples, got 0", error.getMessage());
    }
}
