package org.sgdlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/** The patched images: shares of the groups, the patch's pixels, the test set's layout. */
class PatchedImagesTest {
    private static final int SIDE = 8;
    private static final int CLASSES = 3;

    /** n images of 8 x 8 pixels, every pixel 0.5, labels cycling through the classes. */
    private static Dataset images(int n) {
        float[] x = new float[n * SIDE * SIDE];
        Arrays.fill(x, 0.5f);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % CLASSES;
        }
        return new Dataset("grey", Tensor.wrap(x, n, SIDE * SIDE), Tensor.wrap(y, n), CLASSES);
    }

    private static PatchedImages patches() {
        return new PatchedImages(
                new PatchedImages.Options(2, 0.3, 0.8, 0.25),
                SIDE,
                SIDE,
                CLASSES,
                new RandomStream(1));
    }

    /** The patch of an image: the 2 x 2 pixels at rows and columns 3 and 4. */
    private static float[] patchOf(float[] x, int row) {
        int start = row * SIDE * SIDE;
        return new float[] {
            x[start + 3 * SIDE + 3], x[start + 3 * SIDE + 4],
            x[start + 4 * SIDE + 3], x[start + 4 * SIDE + 4]
        };
    }

    @Test
    void groupsHaveTheirSharesAndPatchOnlyImagesLoseTheRest() {
        int n = 12_000;
        GroupedSplit data = patches().patched(images(n), images(30), new RandomStream(2));
        int[] counts = data.counts(true);
        double[] expected = {0.8 * 0.75, 0.2, 0.8 * 0.25};
        for (int g = 0; g < 3; g++) {
            double share = counts[g] / (double) n;
            double tolerance = 4.5 * Math.sqrt(expected[g] * (1 - expected[g]) / n);
            assertEquals(expected[g], share, tolerance, PatchedImages.GROUPS.get(g));
        }

        float[] x = data.train().inputs().data();
        for (int row = 0; row < n; row++) {
            int group = data.trainGroups()[row];
            if (group == PatchedImages.IMAGE_ONLY) {
                assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, patchOf(x, row));
                continue;
            }
            float outside = x[row * SIDE * SIDE];
            assertEquals(group == PatchedImages.PATCH_ONLY ? 0f : 0.5f, outside);
        }
    }

    @Test
    void eachClassHasTwoPatchesSymmetricAboutOneBase() {
        GroupedSplit data = patches().patched(images(600), images(3), new RandomStream(3));
        float[] x = data.train().inputs().data();
        int[] labels = data.train().labels();
        float[][] low = new float[CLASSES][4];
        float[][] high = new float[CLASSES][4];
        for (float[] row : low) {
            Arrays.fill(row, Float.POSITIVE_INFINITY);
        }
        for (float[] row : high) {
            Arrays.fill(row, Float.NEGATIVE_INFINITY);
        }
        for (int row = 0; row < 600; row++) {
            if (data.trainGroups()[row] == PatchedImages.IMAGE_ONLY) {
                continue;
            }
            float[] patch = patchOf(x, row);
            for (int i = 0; i < 4; i++) {
                low[labels[row]][i] = Math.min(low[labels[row]][i], patch[i]);
                high[labels[row]][i] = Math.max(high[labels[row]][i], patch[i]);
            }
        }
        for (int i = 0; i < 4; i++) {
            float base = (low[0][i] + high[0][i]) / 2;
            for (int c = 0; c < CLASSES; c++) {
                assertEquals(base, (low[c][i] + high[c][i]) / 2, 1e-6, "pixel " + i);
                assertTrue((high[c][i] - low[c][i]) / 2 <= 0.3 + 1e-6);
            }
        }
    }

    @Test
    void theTestSetHoldsCleanImagesThenPatchOnlyCopies() {
        Dataset test = images(6);
        GroupedSplit data = patches().clean(images(9), test, new RandomStream(4));
        assertEquals(12, data.test().size());
        assertArrayEquals(new int[] {0, 9, 0}, data.counts(true));
        assertArrayEquals(new int[] {0, 6, 6}, data.counts(false));
        float[] x = data.test().inputs().data();
        assertArrayEquals(test.inputs().data(), Arrays.copyOf(x, 6 * SIDE * SIDE));
        assertEquals(0f, x[6 * SIDE * SIDE]);
        assertTrue(patchOf(x, 6)[0] != 0f);
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}, data.test().labels());
        assertArrayEquals(images(9).inputs().data(), data.train().inputs().data());
    }

    @Test
    void badOptionsNameTheValue() {
        var error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new PatchedImages.Options(3, 0.1, 1.2, 0.2));
        assertEquals("the patched share must be in [0, 1], got 1.2", error.getMessage());
        error =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new PatchedImages(
                                        new PatchedImages.Options(9, 0.1, 0.8, 0.2),
                                        SIDE,
                                        SIDE,
                                        CLASSES,
                                        new RandomStream(1)));
        assertEquals("a patch of side 9 does not fit in images of 8 x 8", error.getMessage());
    }
}
