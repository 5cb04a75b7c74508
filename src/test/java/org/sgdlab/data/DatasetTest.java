package org.sgdlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sgdlab.tensor.Tensor;

class DatasetTest {
    private static Dataset threeExamples() {
        Tensor inputs = Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 2, 2);
        Tensor labels = Tensor.wrap(new float[] {2, 0, 1}, 3);
        return new Dataset("three", inputs, labels, 3);
    }

    @Test
    void reportsSizesOfAClassificationSet() {
        Dataset data = threeExamples();

        assertEquals(3, data.size());
        assertEquals(4, data.inputDim());
        assertEquals(3, data.outputDim());
        assertTrue(data.isClassification());
        assertArrayEquals(new int[] {2, 0, 1}, data.labels());
    }

    @Test
    void subsetCopiesTheRowsInTheGivenOrder() {
        Dataset data = threeExamples();

        Dataset subset = data.subset(new int[] {2, 0, 2});
        subset.inputs().data()[0] = -1;

        assertArrayEquals(new int[] {3, 2, 2}, subset.inputs().shape());
        assertArrayEquals(
                new float[] {-1, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}, subset.inputs().data());
        assertArrayEquals(new int[] {1, 2, 1}, subset.labels());
        assertEquals(8f, data.inputs().data()[8]);
    }

    @Test
    void headTakesTheFirstRows() {
        Dataset head = threeExamples().head(2);

        assertEquals(2, head.size());
        assertArrayEquals(new int[] {2, 0}, head.labels());
        assertEquals(0, threeExamples().head(0).size());
    }

    @Test
    void reshapeInputsViewsTheFeatures() {
        Dataset flat = threeExamples().reshapeInputs(4);

        assertArrayEquals(new int[] {3, 4}, flat.inputs().shape());
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> flat.reshapeInputs(5));
        assertEquals(
                "cannot view inputs [3, 4] as [3, 5]: the feature count differs",
                error.getMessage());
    }

    @Test
    void regressionTargetsHaveOneRowPerExample() {
        Tensor inputs = Tensor.zeros(4, 3);
        Dataset data = new Dataset("regression", inputs, Tensor.zeros(4, 2), 0);

        assertEquals(2, data.outputDim());
        assertThrows(IllegalStateException.class, data::labels);
    }

    @Test
    void mismatchedRowsNameBothShapes() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new Dataset("bad", Tensor.zeros(4, 3), Tensor.zeros(5), 2));

        assertEquals(
                "inputs [4, 3] and targets [5] must have the same number of rows",
                error.getMessage());
    }

    @Test
    void labelOutsideTheClassesIsRejected() {
        Tensor labels = Tensor.wrap(new float[] {0, 3}, 2);

        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new Dataset("bad", Tensor.zeros(2, 1), labels, 3));

        assertEquals("label 3.0 of row 1 is not a class index in [0, 3)", error.getMessage());
    }

    @Test
    void targetRankMustMatchTheTask() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Dataset("bad", Tensor.zeros(2, 1), Tensor.zeros(2, 1), 3));
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new Dataset("bad", Tensor.zeros(2, 1), Tensor.zeros(2), 0));
        assertEquals(
                "regression targets must have shape [n, outputs], got [2]", error.getMessage());
    }

    @Test
    void rowIndexOutsideTheSetIsRejected() {
        IndexOutOfBoundsException error =
                assertThrows(
                        IndexOutOfBoundsException.class,
                        () -> threeExamples().subset(new int[] {0, 3}));

        assertEquals("row index 3 at position 1 is outside [0, 3)", error.getMessage());
    }
}
