package org.sgdlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.sgdlab.data.IdxReader.ImageLayout;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, Zalando Research, MIT license): 28 x 28 grey images
 * of 10 kinds of clothing, 60,000 for training and 10,000 for testing, in IDX files.
 *
 * <p>Inputs are [n, 784] with pixels scaled to [0, 1] (see {@link IdxReader}); use {@link
 * Dataset#reshapeInputs(int...)} with {@code (1, 28, 28)} for a convolution. Targets are class
 * indices 0..9 in the order of {@link #CLASS_NAMES}.
 *
 * <p>The full set is read from a directory holding the four standard files, each plain or gzipped;
 * by default {@link #DEFAULT_DIRECTORY}, where Debian's package {@code dataset-fashion-mnist}
 * installs them. A class-balanced subset of 4,000 training and 5,000 test images ships inside
 * sgdlab for tests and quick runs ({@link #subset(boolean)}); {@link SubsetWriter} made it.
 */
public final class FashionMnist {
    /** Where Debian's package {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** The number of classes. */
    public static final int CLASSES = 10;

    /** The side of an image in pixels. */
    public static final int IMAGE_SIDE = 28;

    /** The name of each class, indexed by label. */
    public static final List<String> CLASS_NAMES =
            List.of(
                    "T-shirt/top",
                    "Trouser",
                    "Pullover",
                    "Dress",
                    "Coat",
                    "Sandal",
                    "Shirt",
                    "Sneaker",
                    "Bag",
                    "Ankle boot");

    static final String SUBSET_RESOURCE = "/org/sgdlab/data/fashion-mnist-subset/";

    private FashionMnist() {}

    /** The whole training or test set from the directory. */
    public static Dataset load(Path dataDirectory, boolean train) throws IOException {
        return load(dataDirectory, train, Integer.MAX_VALUE);
    }

    /**
     * The first {@code limit} examples of the training or test set, in file order.
     *
     * @param dataDirectory a directory holding {@code train-images-idx3-ubyte}, {@code
     *     train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code
     *     t10k-labels-idx1-ubyte}, each optionally ending in {@code .gz}
     * @param limit the most examples to read, positive
     * @throws DataFormatException when the files are missing (the message says how to get them) or
     *     damaged
     */
    public static Dataset load(Path dataDirectory, boolean train, int limit) throws IOException {
        IdxReader.checkLimit(limit);
        Optional<Path> images = find(dataDirectory, imagesFile(train));
        Optional<Path> labels = find(dataDirectory, labelsFile(train));
        if (images.isEmpty() && labels.isEmpty()) {
            throw new DataFormatException(
                    "no Fashion-MNIST files in "
                            + dataDirectory
                            + " (expected "
                            + imagesFile(train)
                            + "[.gz] and "
                            + labelsFile(train)
                            + "[.gz]): install Debian's package dataset-fashion-mnist"
                            + " (apt-get install dataset-fashion-mnist) or pass --data-dir");
        }
        if (images.isEmpty() || labels.isEmpty()) {
            String missing = images.isEmpty() ? imagesFile(train) : labelsFile(train);
            Path present = images.isEmpty() ? labels.get() : images.get();
            throw new DataFormatException(
                    dataDirectory
                            + " has "
                            + present.getFileName()
                            + " but no "
                            + missing
                            + "[.gz]; expected both files of the "
                            + (train ? "training" : "test")
                            + " set");
        }

        return IdxReader.readPair(
                name(train), images.get(), labels.get(), CLASSES, ImageLayout.FLAT, limit);
    }

    /**
     * The subset shipped with sgdlab: 4,000 training images (the first 400 of each class in the
     * order of the full files) or 5,000 test images (the first 100 of each class, then the next 400
     * of each class).
     */
    public static Dataset subset(boolean train) {
        String images = SUBSET_RESOURCE + imagesFile(train) + ".gz";
        String labels = SUBSET_RESOURCE + labelsFile(train) + ".gz";
        try (BinaryInput imageInput = resource(images);
                BinaryInput labelInput = resource(labels)) {
            return IdxReader.readPair(
                    "fashion-mnist-subset-" + (train ? "train" : "test"),
                    imageInput,
                    labelInput,
                    CLASSES,
                    ImageLayout.FLAT,
                    Integer.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled resource " + images, e);
        }
    }

    /** The standard name of the image file, without {@code .gz}. */
    static String imagesFile(boolean train) {
        return (train ? "train" : "t10k") + "-images-idx3-ubyte";
    }

    /** The standard name of the label file, without {@code .gz}. */
    static String labelsFile(boolean train) {
        return (train ? "train" : "t10k") + "-labels-idx1-ubyte";
    }

    private static String name(boolean train) {
        return "fashion-mnist-" + (train ? "train" : "test");
    }

    /** The file under its standard name, gzipped or not, or under the dotted MNIST variant. */
    static Optional<Path> find(Path directory, String standardName) {
        String dotted = standardName.replaceFirst("-idx", ".idx");
        for (String name : List.of(standardName, dotted)) {
            for (String suffix : List.of(".gz", "")) {
                Path candidate = directory.resolve(name + suffix);
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static BinaryInput resource(String name) throws IOException {
        InputStream stream = FashionMnist.class.getResourceAsStream(name);
        if (stream == null) {
            throw new IllegalStateException(
                    "the bundled resource " + name + " is missing from the class path");
        }
        return BinaryInput.of(stream, name);
    }
}
