package org.sgdlab.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * The patch experiment of Li, Wei and Ma (NeurIPS 2019, section 6) on grey images: a small square
 * patch at the centre of an image carries the class in a pattern that is easy to memorize, while
 * the image carries it in a pattern that generalizes but is hard to fit.
 *
 * <p>A patch is z + v_y or z - v_y, with the sign a fair coin, where z is a fixed pattern with
 * entries drawn from U(0, 1) and v_c is a fixed pattern per class c with entries drawn from U(-a,
 * a); a is the strength of the class signal (the paper's is 0.1). The patch's side x side pixels
 * replace the image's pixels there. The classes differ only in v_c, up to its sign, so a network
 * must tell 2C patterns apart, each repeated exactly; nothing about them needs more examples to
 * generalize.
 *
 * <p>Training images carry a patch with probability {@code patchedShare}; a patched image keeps
 * only its patch (every other pixel 0) with probability {@code patchOnlyShare}. The groups are
 * {@code image-and-patch}, {@code image-only} and {@code patch-only}. The test set holds every test
 * image clean (group {@code image-only}: the clean test accuracy) followed by a patch-only copy of
 * each with its class's patch (group {@code patch-only}: how far the patch was learned). {@link
 * #clean} gives the control without any patch in training and the same test set.
 */
public final class PatchedImages {
    /** The groups, in index order. */
    public static final List<String> GROUPS =
            List.of("image-and-patch", "image-only", "patch-only");

    /** The index of the group of images with a patch. */
    public static final int IMAGE_AND_PATCH = 0;

    /** The index of the group of clean images. */
    public static final int IMAGE_ONLY = 1;

    /** The index of the group of patch-only images. */
    public static final int PATCH_ONLY = 2;

    /**
     * The patch and how often it appears.
     *
     * @param side the side of the square patch in pixels, at most the image's
     * @param strength a, the half-width of the class signal's entries, U(-a, a); positive
     * @param patchedShare the probability that a training image carries a patch, in [0, 1]
     * @param patchOnlyShare the probability that a patched training image keeps only the patch, in
     *     [0, 1]
     */
    public record Options(int side, double strength, double patchedShare, double patchOnlyShare) {
        public Options {
            if (side < 1) {
                throw new IllegalArgumentException("the patch side must be positive, got " + side);
            }
            if (!(strength > 0) || !Double.isFinite(strength)) {
                throw new IllegalArgumentException(
                        "the patch strength must be positive and finite, got " + strength);
            }
            if (!(patchedShare >= 0 && patchedShare <= 1)) {
                throw new IllegalArgumentException(
                        "the patched share must be in [0, 1], got " + patchedShare);
            }
            if (!(patchOnlyShare >= 0 && patchOnlyShare <= 1)) {
                throw new IllegalArgumentException(
                        "the patch-only share must be in [0, 1], got " + patchOnlyShare);
            }
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "side %d, strength %s, patched %s, patch-only %s",
                    side,
                    strength,
                    patchedShare,
                    patchOnlyShare);
        }
    }

    private final Options options;
    private final int height;
    private final int width;
    private final int classes;
    private final float[] base;
    private final float[][] classSignal;

    /**
     * The patches for images of the given height and width (inputs are flattened rows of height
     * times width pixels), drawn from the stream.
     */
    public PatchedImages(Options options, int height, int width, int classes, RandomStream random) {
        if (options.side() > Math.min(height, width)) {
            throw new IllegalArgumentException(
                    "a patch of side "
                            + options.side()
                            + " does not fit in images of "
                            + height
                            + " x "
                            + width);
        }
        this.options = options;
        this.height = height;
        this.width = width;
        this.classes = classes;
        int size = options.side() * options.side();
        RandomStream patterns = random.derive("patch-base");
        this.base = new float[size];
        for (int i = 0; i < size; i++) {
            base[i] = (float) patterns.nextDouble();
        }
        RandomStream signals = random.derive("patch-classes");
        this.classSignal = new float[classes][size];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < size; i++) {
                classSignal[c][i] = (float) (options.strength() * (2 * signals.nextDouble() - 1));
            }
        }
    }

    /** The patched training set and the clean and patch-only test set, with groups. */
    public GroupedSplit patched(Dataset train, Dataset test, RandomStream random) {
        checkShape(train);
        int n = train.size();
        int features = train.inputDim();
        float[] x = train.inputs().data().clone();
        int[] labels = train.labels();
        int[] groups = new int[n];
        RandomStream draws = random.derive("patch-assignment");
        for (int row = 0; row < n; row++) {
            boolean patched = draws.nextBoolean(options.patchedShare());
            boolean patchOnly = draws.nextBoolean(options.patchOnlyShare());
            boolean plus = draws.nextBoolean(0.5);
            if (!patched) {
                groups[row] = IMAGE_ONLY;
                continue;
            }
            if (patchOnly) {
                Arrays.fill(x, row * features, (row + 1) * features, 0f);
            }
            stamp(x, row * features, labels[row], plus);
            groups[row] = patchOnly ? PATCH_ONLY : IMAGE_AND_PATCH;
        }
        Dataset patchedTrain =
                new Dataset(
                        train.name() + "-patched",
                        Tensor.wrap(x, train.inputs().shape()),
                        train.targets(),
                        train.classes());
        return withTestSet(patchedTrain, groups, test, random);
    }

    /** The control: the training images as they are, all in group image-only, same test set. */
    public GroupedSplit clean(Dataset train, Dataset test, RandomStream random) {
        checkShape(train);
        int[] groups = new int[train.size()];
        Arrays.fill(groups, IMAGE_ONLY);
        return withTestSet(train, groups, test, random);
    }

    private GroupedSplit withTestSet(
            Dataset train, int[] trainGroups, Dataset test, RandomStream random) {
        checkShape(test);
        int n = test.size();
        int features = test.inputDim();
        float[] x = new float[2 * n * features];
        float[] y = new float[2 * n];
        float[] images = test.inputs().data();
        int[] labels = test.labels();
        int[] groups = new int[2 * n];
        RandomStream signs = random.derive("patch-test-signs");
        System.arraycopy(images, 0, x, 0, n * features);
        for (int row = 0; row < n; row++) {
            y[row] = labels[row];
            y[n + row] = labels[row];
            groups[row] = IMAGE_ONLY;
            groups[n + row] = PATCH_ONLY;
            stamp(x, (n + row) * features, labels[row], signs.nextBoolean(0.5));
        }
        int[] shape = test.inputs().shape();
        shape[0] = 2 * n;
        Dataset testSet =
                new Dataset(
                        test.name() + "-clean-and-patch-only",
                        Tensor.wrap(x, shape),
                        Tensor.wrap(y, 2 * n),
                        test.classes());
        return new GroupedSplit(new Split(train, testSet), trainGroups, groups, GROUPS);
    }

    /** Writes the patch z + v_c or z - v_c over the centre of the image that starts at offset. */
    private void stamp(float[] x, int offset, int label, boolean plus) {
        int side = options.side();
        int top = (height - side) / 2;
        int left = (width - side) / 2;
        float sign = plus ? 1f : -1f;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                int i = r * side + c;
                x[offset + (top + r) * width + left + c] = base[i] + sign * classSignal[label][i];
            }
        }
    }

    private void checkShape(Dataset data) {
        if (data.inputDim() != height * width || data.classes() != classes) {
            throw new IllegalArgumentException(
                    "patched images need "
                            + height
                            + " x "
                            + width
                            + " inputs in "
                            + classes
                            + " classes, got "
                            + data);
        }
    }
}
