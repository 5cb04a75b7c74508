package org.sgdlab.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.sgdlab.tensor.Tensor;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, plain or gzipped.
 *
 * <p>An IDX file is big-endian: a 4-byte magic number {@code 0x0000TTDD} where TT is the element
 * type (0x08 for unsigned bytes, the only type read here) and DD the number of dimensions, then DD
 * 4-byte extents, then the values in row-major order. Images are {@code 0x00000803} (count, rows,
 * columns) and labels {@code 0x00000801} (count). Gzip compression is recognized by the magic bytes
 * 0x1f 0x8b, not by the file name.
 *
 * <p>Pixels p in 0..255 become p / 255 in [0, 1]. Labels become floats holding class indices.
 * Reading is strict: a wrong magic number, a negative extent, a body shorter or longer than the
 * header says, or a label outside the expected classes is a {@link DataFormatException} naming the
 * file and the byte.
 */
public final class IdxReader {
    /** The magic number of an IDX file of unsigned-byte labels, shape [count]. */
    public static final int LABELS_MAGIC = 0x00000801;

    /** The magic number of an IDX file of unsigned-byte images, shape [count, rows, columns]. */
    public static final int IMAGES_MAGIC = 0x00000803;

    private static final float PIXEL_LEVELS = 255f;

    /** How an image becomes a row of the input tensor. */
    public enum ImageLayout {
        /** Each image is a row of rows * columns pixels: inputs [n, rows * columns]. */
        FLAT,
        /** Each image keeps one channel and its two axes: inputs [n, 1, rows, columns]. */
        CHANNELS
    }

    /** The header and (part of the) body of an unsigned-byte IDX file. */
    record Contents(String source, int[] extents, byte[] values) {
        int count() {
            return extents[0];
        }
    }

    private IdxReader() {}

    /** All images of the file as [n, rows * columns] in [0, 1]. */
    public static Tensor readImages(Path file) throws IOException {
        return readImages(file, ImageLayout.FLAT, Integer.MAX_VALUE);
    }

    /**
     * The first {@code limit} images of the file (all of them if it holds fewer), in [0, 1].
     *
     * @param limit the most images to read, positive
     */
    public static Tensor readImages(Path file, ImageLayout layout, int limit) throws IOException {
        checkLimit(limit);
        try (BinaryInput in = BinaryInput.open(file)) {
            return toImages(readContents(in, IMAGES_MAGIC, limit), layout);
        }
    }

    /** All labels of the file as a float tensor [n]. */
    public static Tensor readLabels(Path file) throws IOException {
        return readLabels(file, Integer.MAX_VALUE);
    }

    /** The first {@code limit} labels of the file as a float tensor [n]; limit is positive. */
    public static Tensor readLabels(Path file, int limit) throws IOException {
        checkLimit(limit);
        try (BinaryInput in = BinaryInput.open(file)) {
            return toLabels(readContents(in, LABELS_MAGIC, limit));
        }
    }

    /**
     * An image file and its label file as a classification data set.
     *
     * @param classes the number of classes; a label outside [0, classes) is an error
     * @param limit the most examples to read, positive; the first ones in file order
     * @throws DataFormatException when either file is damaged, or when the two files hold different
     *     numbers of examples
     */
    public static Dataset readPair(
            String name, Path images, Path labels, int classes, ImageLayout layout, int limit)
            throws IOException {
        checkLimit(limit);
        try (BinaryInput imageInput = BinaryInput.open(images);
                BinaryInput labelInput = BinaryInput.open(labels)) {
            return readPair(name, imageInput, labelInput, classes, layout, limit);
        }
    }

    static Dataset readPair(
            String name,
            BinaryInput images,
            BinaryInput labels,
            int classes,
            ImageLayout layout,
            int limit)
            throws IOException {
        int[] imageExtents = readHeader(images, IMAGES_MAGIC);
        int[] labelExtents = readHeader(labels, LABELS_MAGIC);
        if (imageExtents[0] != labelExtents[0]) {
            throw new DataFormatException(
                    images.source()
                            + " holds "
                            + imageExtents[0]
                            + " images but "
                            + labels.source()
                            + " holds "
                            + labelExtents[0]
                            + " labels; expected the same count");
        }

        Contents imageContents = readBody(images, imageExtents, limit);
        Contents labelContents = readBody(labels, labelExtents, limit);
        checkClasses(labelContents, classes);
        return new Dataset(name, toImages(imageContents, layout), toLabels(labelContents), classes);
    }

    /** Reads the header and up to {@code limit} leading entries of an unsigned-byte IDX file. */
    static Contents readContents(BinaryInput in, int magic, int limit) throws IOException {
        return readBody(in, readHeader(in, magic), limit);
    }

    private static int[] readHeader(BinaryInput in, int expectedMagic) throws IOException {
        int magic = in.readInt("magic number");
        if (magic != expectedMagic) {
            throw new DataFormatException(
                    String.format(
                            "%s: magic number 0x%08x at byte 0, expected 0x%08x (%s)",
                            in.source(), magic, expectedMagic, kind(expectedMagic)));
        }

        int[] extents = new int[expectedMagic & 0xff];
        for (int axis = 0; axis < extents.length; axis++) {
            String where = in.where();
            extents[axis] = in.readInt("extent " + axis);
            if (extents[axis] < 0) {
                throw new DataFormatException(
                        in.source()
                                + ": extent "
                                + axis
                                + " at "
                                + where
                                + " is "
                                + Integer.toUnsignedString(extents[axis])
                                + ", expected a size below 2^31");
            }
        }
        long entryBytes = 1;
        for (int axis = 1; axis < extents.length; axis++) {
            entryBytes *= extents[axis];
        }
        if (entryBytes * extents[0] > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(
                    in.source()
                            + ": extents "
                            + Arrays.toString(extents)
                            + " hold more than 2^31 values, more than a tensor can hold");
        }
        return extents;
    }

    private static Contents readBody(BinaryInput in, int[] extents, int limit) throws IOException {
        int entryBytes = 1;
        for (int axis = 1; axis < extents.length; axis++) {
            entryBytes *= extents[axis];
        }
        int count = Math.min(extents[0], limit);
        byte[] values = new byte[count * entryBytes];
        in.readFully(values, 0, values.length, count + " " + kind(extents.length));
        if (count == extents[0]) {
            in.expectEnd("the " + count + " " + kind(extents.length) + " the header announces");
        }
        int[] read = extents.clone();
        read[0] = count;
        return new Contents(in.source(), read, values);
    }

    private static void checkClasses(Contents labels, int classes) {
        byte[] values = labels.values();
        for (int i = 0; i < values.length; i++) {
            int label = values[i] & 0xff;
            if (label >= classes) {
                throw new DataFormatException(
                        labels.source()
                                + ": label "
                                + label
                                + " at byte "
                                + (8 + i)
                                + " (example "
                                + i
                                + "), expected a class in [0, "
                                + classes
                                + ")");
            }
        }
    }

    private static Tensor toImages(Contents contents, ImageLayout layout) {
        byte[] values = contents.values();
        float[] pixels = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            pixels[i] = (values[i] & 0xff) / PIXEL_LEVELS;
        }
        int[] extents = contents.extents();
        return layout == ImageLayout.FLAT
                ? Tensor.wrap(pixels, extents[0], extents[1] * extents[2])
                : Tensor.wrap(pixels, extents[0], 1, extents[1], extents[2]);
    }

    private static Tensor toLabels(Contents contents) {
        byte[] values = contents.values();
        float[] labels = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = values[i] & 0xff;
        }
        return Tensor.wrap(labels, values.length);
    }

    private static String kind(int magicOrRank) {
        return (magicOrRank & 0xff) == 3 ? "images" : "labels";
    }

    static void checkLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException(
                    "limit must be a positive number of examples, got " + limit);
        }
    }
}
