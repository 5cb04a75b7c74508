package org.sgdlab.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.sgdlab.tensor.Tensor;

/**
 * Writes unsigned-byte IDX files, the format {@link IdxReader} reads: the magic number {@code
 * 0x000008DD} (DD the number of dimensions), the extents as big-endian 32-bit integers, then the
 * bytes. A file whose name ends in {@code .gz} is gzip-compressed; Java's gzip header carries no
 * time stamp, so the same values always give the same bytes. Writes are atomic: a reader never sees
 * half a file.
 */
public final class IdxWriter {
    private static final int UNSIGNED_BYTE_TYPE = 0x08;
    private static final int PIXEL_LEVELS = 255;

    private IdxWriter() {}

    /**
     * Writes values with the given extents; {@code values.length} must equal their product.
     *
     * @throws IllegalArgumentException when an extent is negative or the value count differs
     */
    public static void write(Path file, int[] extents, byte[] values) throws IOException {
        if (extents.length == 0 || extents.length > 0xff) {
            throw new IllegalArgumentException(
                    "an IDX file needs 1 to 255 dimensions, got " + extents.length);
        }
        if (Tensor.numel(extents) != values.length) {
            throw new IllegalArgumentException(
                    "extents "
                            + Arrays.toString(extents)
                            + " hold "
                            + Tensor.numel(extents)
                            + " values, got "
                            + values.length);
        }

        boolean compress = file.getFileName().toString().endsWith(".gz");
        AtomicFiles.write(
                file,
                out -> {
                    OutputStream target = compress ? new GZIPOutputStream(out, 1 << 16) : out;
                    DataOutputStream data = new DataOutputStream(target);
                    data.writeInt((UNSIGNED_BYTE_TYPE << 8) | extents.length);
                    for (int extent : extents) {
                        data.writeInt(extent);
                    }
                    data.write(values);
                    data.flush();
                    if (target instanceof GZIPOutputStream gzip) {
                        gzip.finish();
                    }
                });
    }

    /**
     * Writes images with values in [0, 1] as pixels round(255 v), magic {@code 0x00000803}.
     *
     * @param images n images of rows * columns values each, in any shape with n leading
     * @throws IllegalArgumentException when a value lies outside [0, 1] or the sizes disagree
     */
    public static void writeImages(Path file, Tensor images, int rows, int columns)
            throws IOException {
        int count = images.rows();
        if ((long) count * rows * columns != images.numel()) {
            throw new IllegalArgumentException(
                    "images of shape "
                            + Arrays.toString(images.shape())
                            + " are not "
                            + count
                            + " images of "
                            + rows
                            + " x "
                            + columns
                            + " pixels");
        }
        float[] values = images.data();
        byte[] pixels = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0f && values[i] <= 1f)) {
                throw new IllegalArgumentException(
                        "image value " + values[i] + " at index " + i + " is outside [0, 1]");
            }
            pixels[i] = (byte) Math.round(values[i] * PIXEL_LEVELS);
        }
        write(file, new int[] {count, rows, columns}, pixels);
    }

    /**
     * Writes class labels in 0..255, magic {@code 0x00000801}.
     *
     * @throws IllegalArgumentException when a label lies outside 0..255
     */
    public static void writeLabels(Path file, int[] labels) throws IOException {
        byte[] values = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 0xff) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " at index " + i + " is outside 0..255");
            }
            values[i] = (byte) labels[i];
        }
        write(file, new int[] {labels.length}, values);
    }
}
