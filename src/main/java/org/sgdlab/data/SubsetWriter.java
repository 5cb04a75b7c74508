package org.sgdlab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes the class-balanced Fashion-MNIST subset that ships with sgdlab, so that it can be rebuilt
 * from the full files rather than trusted as a hand-made blob.
 *
 * <p>Selection: a split is written as blocks of examples per class, each block scanned from the
 * start of the file in file order: an example joins a block while its class has fewer than the
 * block's count in that block and it belongs to no earlier block. Kept examples stay in file order
 * within their block. The training split is one block of {@link #TRAIN_PER_CLASS}; the test split
 * is a block of {@link #TEST_PER_CLASS} followed by one of {@link #TEST_MORE_PER_CLASS}, so that
 * its first 1,000 images are the first 100 of each class and any head of 1,000 or 5,000 images is
 * balanced. The raw pixel bytes are copied unchanged into gzipped IDX files with the four standard
 * names.
 *
 * <p>Run it with {@code java -cp target/classes org.sgdlab.data.SubsetWriter SOURCE_DIR
 * TARGET_DIR}; the shipped copy was made from Debian's {@code dataset-fashion-mnist} into {@code
 * src/main/resources/org/sgdlab/data/fashion-mnist-subset}.
 */
public final class SubsetWriter {
    /** Training examples kept per class. */
    public static final int TRAIN_PER_CLASS = 400;

    /** Test examples per class in the first block of the test split. */
    public static final int TEST_PER_CLASS = 100;

    /** Test examples per class in the second block of the test split. */
    public static final int TEST_MORE_PER_CLASS = 400;

    private SubsetWriter() {}

    /**
     * Writes the training and test subsets of the full files in {@code source} to {@code target}.
     */
    public static void write(Path source, Path target) throws IOException {
        writeSplit(source, target, true, TRAIN_PER_CLASS);
        writeSplit(source, target, false, TEST_PER_CLASS, TEST_MORE_PER_CLASS);
    }

    /**
     * Writes blocks of examples of every class of one split: the first {@code blocks[0]} of each
     * class in file order, then the next {@code blocks[1]} of each class in file order, and so on.
     *
     * @throws DataFormatException when the source files are damaged or hold too few examples of
     *     some class
     */
    public static void writeSplit(Path source, Path target, boolean train, int... blocks)
            throws IOException {
        if (blocks.length == 0 || Arrays.stream(blocks).anyMatch(perClass -> perClass <= 0)) {
            throw new IllegalArgumentException(
                    "blocks must be positive numbers of examples per class, got "
                            + Arrays.toString(blocks));
        }
        Path imagesPath = require(source, FashionMnist.imagesFile(train));
        Path labelsPath = require(source, FashionMnist.labelsFile(train));
        IdxReader.Contents images;
        IdxReader.Contents labels;
        try (BinaryInput in = BinaryInput.open(imagesPath)) {
            images = IdxReader.readContents(in, IdxReader.IMAGES_MAGIC, Integer.MAX_VALUE);
        }
        try (BinaryInput in = BinaryInput.open(labelsPath)) {
            labels = IdxReader.readContents(in, IdxReader.LABELS_MAGIC, Integer.MAX_VALUE);
        }
        if (images.count() != labels.count()) {
            throw new DataFormatException(
                    imagesPath
                            + " holds "
                            + images.count()
                            + " images but "
                            + labelsPath
                            + " holds "
                            + labels.count()
                            + " labels; expected the same count");
        }

        int perClass = Arrays.stream(blocks).sum();
        int total = perClass * FashionMnist.CLASSES;
        int imageBytes = images.extents()[1] * images.extents()[2];
        byte[] keptImages = new byte[total * imageBytes];
        byte[] keptLabels = new byte[total];
        int[] rank = ranksInClass(labels.values(), labels.count(), labelsPath);
        int[] kept = new int[FashionMnist.CLASSES];
        int count = 0;
        int ceiling = 0;
        for (int block : blocks) {
            ceiling += block;
            for (int i = 0; i < labels.count(); i++) {
                int label = labels.values()[i] & 0xff;
                if (rank[i] >= ceiling - block && rank[i] < ceiling) {
                    kept[label]++;
                    keptLabels[count] = (byte) label;
                    System.arraycopy(
                            images.values(),
                            i * imageBytes,
                            keptImages,
                            count * imageBytes,
                            imageBytes);
                    count++;
                }
            }
        }
        if (count < total) {
            throw new DataFormatException(
                    labelsPath
                            + " holds fewer than "
                            + perClass
                            + " examples of some class; kept per class: "
                            + Arrays.toString(kept));
        }

        Files.createDirectories(target);
        IdxWriter.write(
                target.resolve(FashionMnist.imagesFile(train) + ".gz"),
                new int[] {total, images.extents()[1], images.extents()[2]},
                keptImages);
        IdxWriter.write(
                target.resolve(FashionMnist.labelsFile(train) + ".gz"),
                new int[] {total},
                keptLabels);
    }

    /** For each example, how many examples of its class come before it in the file. */
    private static int[] ranksInClass(byte[] labels, int count, Path labelsPath) {
        int[] seen = new int[FashionMnist.CLASSES];
        int[] rank = new int[count];
        for (int i = 0; i < count; i++) {
            int label = labels[i] & 0xff;
            if (label >= FashionMnist.CLASSES) {
                throw new DataFormatException(
                        labelsPath
                                + ": label "
                                + label
                                + " at byte "
                                + (8 + i)
                                + ", expected a class in [0, "
                                + FashionMnist.CLASSES
                                + ")");
            }
            rank[i] = seen[label]++;
        }
        return rank;
    }

    private static Path require(Path directory, String standardName) {
        return FashionMnist.find(directory, standardName)
                .orElseThrow(
                        () ->
                                new DataFormatException(
                                        "no "
                                                + standardName
                                                + "[.gz] in "
                                                + directory
                                                + ": install Debian's package"
                                                + " dataset-fashion-mnist or name the directory"
                                                + " of the full files"));
    }

    /**
     * Writes the subset: {@code SubsetWriter SOURCE_DIR TARGET_DIR}.
     *
     * @param args the directory of the full files and the directory to write into
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException(
                    "usage: SubsetWriter SOURCE_DIR TARGET_DIR, got " + args.length + " arguments");
        }
        write(Path.of(args[0]), Path.of(args[1]));
    }
}
