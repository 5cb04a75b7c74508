package org.sgdlab.experiment.realdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sgdlab.data.DataFormatException;
import org.sgdlab.data.Dataset;
import org.sgdlab.data.FashionMnist;
import org.sgdlab.data.Split;
import org.sgdlab.experiment.Profile;
import org.sgdlab.experiment.Settings;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * The Fashion-MNIST data of the real-data experiments, with the settings that choose it.
 *
 * <ul>
 *   <li>{@code data}: {@code subset} reads the 4,000 training and 5,000 test images that ship with
 *       sgdlab; {@code files} reads the full set (60,000 and 10,000) from {@code data-dir}.
 *   <li>{@code data-dir}: the directory of the four IDX files, by default {@link
 *       FashionMnist#DEFAULT_DIRECTORY}.
 *   <li>{@code train-size}: each run trains on this many images drawn without replacement from the
 *       source's training images by the run's seed, so that seeds differ in data as well as in
 *       initialization.
 *   <li>{@code test-size}: the first this many source test images, the same for every run.
 *   <li>{@code image-side}: 28 keeps the images; 14 or 7 averages blocks of 2 x 2 or 4 x 4 pixels,
 *       which divides the cost of a convolution by 4 or 16.
 * </ul>
 *
 * Pixels are in [0, 1]. Images come flat, [n, side^2]; the models reshape them. The sources are
 * read once per process and kept, so that the runs of a sweep share them.
 */
final class FashionMnistData {
    /** The allowed image sides: 28 divided by 1, 2 or 4. */
    static final int[] SIDES = {28, 14, 7};

    private static final Map<String, Dataset> SOURCES = new ConcurrentHashMap<>();

    private FashionMnistData() {}

    /** Declares the data settings with their quick and full defaults. */
    static Settings define(
            Settings settings,
            Profile profile,
            int quickTrainSize,
            int fullTrainSize,
            int quickTestSize,
            int fullTestSize,
            int quickSide,
            int fullSide) {
        return settings.define(
                        "data",
                        profile,
                        "subset",
                        "files",
                        "subset: the 4,000 + 5,000 images shipped with sgdlab; files: the full"
                                + " Fashion-MNIST set in data-dir")
                .define(
                        "data-dir",
                        FashionMnist.DEFAULT_DIRECTORY.toString(),
                        "directory of the Fashion-MNIST IDX files, read when data=files")
                .define(
                        "train-size",
                        profile,
                        quickTrainSize,
                        fullTrainSize,
                        "training images per run, drawn by the run's seed")
                .define(
                        "test-size",
                        profile,
                        quickTestSize,
                        fullTestSize,
                        "test images, the first of the test files")
                .define(
                        "image-side",
                        profile,
                        quickSide,
                        fullSide,
                        "image side after averaging pixel blocks: 28, 14 or 7");
    }

    /**
     * Checks the data settings without reading any file.
     *
     * @throws IllegalArgumentException naming the bad value and what is allowed
     */
    static void check(Settings settings) {
        String source = settings.text("data");
        if (!source.equals("subset") && !source.equals("files")) {
            throw new IllegalArgumentException(
                    "invalid value '" + source + "' for setting 'data'; allowed: subset, files");
        }
        int side = settings.integer("image-side");
        if (Arrays.stream(SIDES).noneMatch(allowed -> allowed == side)) {
            throw new IllegalArgumentException(
                    "invalid value " + side + " for setting 'image-side'; allowed: 28, 14, 7");
        }
        boolean subset = source.equals("subset");
        checkSize(settings, "train-size", subset ? 4000 : 60_000, source);
        checkSize(settings, "test-size", subset ? 5000 : 10_000, source);
    }

    private static void checkSize(Settings settings, String key, int available, String source) {
        int size = settings.integer(key);
        if (size < 1 || size > available) {
            throw new IllegalArgumentException(
                    "invalid value "
                            + size
                            + " for setting '"
                            + key
                            + "'; allowed: 1 to "
                            + available
                            + " with data="
                            + source);
        }
    }

    /**
     * Checks the settings and, with {@code data=files}, reads the files once, so that a missing or
     * damaged file stops a sweep before its first run.
     *
     * @throws IllegalArgumentException naming the bad value, or the file and what was expected
     */
    static void open(Settings settings) {
        check(settings);
        source(settings, true);
        source(settings, false);
    }

    /** The number of inputs of an image: side^2. */
    static int inputs(Settings settings) {
        int side = settings.integer("image-side");
        return side * side;
    }

    /**
     * The training images of a run, drawn from {@code random.derive("examples")}, and the test
     * images, both at the chosen side.
     */
    static Split load(Settings settings, RandomStream random) {
        check(settings);
        Dataset trainSource = source(settings, true);
        Dataset testSource = source(settings, false);
        int[] picked =
                Arrays.copyOf(
                        random.derive("examples").permutation(trainSource.size()),
                        settings.integer("train-size"));
        int side = settings.integer("image-side");
        Dataset train = downsample(trainSource.subset(picked), side);
        Dataset test = downsample(testSource.head(settings.integer("test-size")), side);
        return new Split(train, test);
    }

    private static Dataset source(Settings settings, boolean train) {
        boolean subset = settings.text("data").equals("subset");
        Path directory = Path.of(settings.text("data-dir"));
        String key = subset ? "subset:" + train : directory.toAbsolutePath() + ":" + train;
        return SOURCES.computeIfAbsent(
                key,
                unused -> {
                    if (subset) {
                        return FashionMnist.subset(train);
                    }
                    try {
                        return FashionMnist.load(directory, train);
                    } catch (DataFormatException e) {
                        throw new DataFormatException(
                                "setting data-dir=" + directory + ": " + e.getMessage(), e);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + directory, e);
                    }
                });
    }

    /**
     * Images [n, 784] averaged over blocks of f x f pixels with f = 28 / side, giving [n, side^2];
     * the same data set when side is 28.
     */
    static Dataset downsample(Dataset images, int side) {
        int full = FashionMnist.IMAGE_SIDE;
        if (side == full) {
            return images;
        }
        if (images.inputDim() != full * full || full % side != 0) {
            throw new IllegalArgumentException(
                    "cannot average "
                            + Arrays.toString(images.inputs().shape())
                            + " images to side "
                            + side
                            + "; expected [n, 784] and a side dividing 28");
        }
        int factor = full / side;
        float[] source = images.inputs().data();
        int n = images.size();
        float[] averaged = new float[n * side * side];
        float weight = 1f / (factor * factor);
        for (int image = 0; image < n; image++) {
            int from = image * full * full;
            int to = image * side * side;
            for (int row = 0; row < full; row++) {
                for (int column = 0; column < full; column++) {
                    averaged[to + (row / factor) * side + column / factor] +=
                            weight * source[from + row * full + column];
                }
            }
        }
        return new Dataset(
                images.name() + " [" + side + "x" + side + "]",
                Tensor.wrap(averaged, n, side * side),
                images.targets(),
                images.classes());
    }
}
