package org.sgdlab.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sgdlab.nn.Activation;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Linear;
import org.sgdlab.nn.Mlp;
import org.sgdlab.nn.Sequential;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

class WeightDistanceTest {
    private static final RandomStream RANDOM = new RandomStream(11);

    @Test
    void untouchedModelHasNotMoved() {
        Sequential model = Mlp.relu(5, 12, 3, 2, Init.he(), RANDOM);

        Map<String, Double> measured = new WeightDistance(model.snapshot()).measure(model);

        assertEquals(0.0, measured.get("relative_distance_1"));
        assertEquals(0.0, measured.get("largest_unit_distance_2"));
        assertEquals(0.0, measured.get("relative_distance"));
    }

    @Test
    void movingOneUnitGivesTheExactDistances() {
        Linear hidden = new Linear(2, 2, false, Init.gaussian(1), RANDOM);
        hidden.weight().data()[0] = 1f;
        hidden.weight().data()[1] = 2f;
        hidden.weight().data()[2] = 2f;
        hidden.weight().data()[3] = 4f;
        Sequential model = new Sequential(hidden, Activation.relu());
        Tensor initial = hidden.weight().copy();
        WeightDistance probe = new WeightDistance(model.snapshot());

        hidden.weight().data()[0] += 3f;
        hidden.weight().data()[2] += 4f;
        Map<String, Double> measured = probe.measure(model);

        // ||W_0||_F = sqrt(1 + 4 + 4 + 16) = 5; column 0 moved by (3, 4), of length 5.
        assertEquals(1.0, measured.get("relative_distance_1"), 1e-12);
        assertEquals(5.0, measured.get("largest_unit_distance_1"), 1e-12);
        assertEquals(1.0, measured.get("relative_distance"), 1e-12);
        assertArrayEquals(
                new double[] {5, 0}, WeightDistance.unitDistances(hidden.weight(), initial), 1e-12);
    }

    @Test
    void frozenLayersAreNotMeasuredButKeepTheirNumber() {
        Sequential model = Mlp.twoLayerFixedOutput(3, 4, RANDOM);

        Map<String, Double> measured = new WeightDistance(model.snapshot()).measure(model);

        assertTrue(measured.containsKey("relative_distance_1"));
        assertFalse(measured.containsKey("relative_distance_2"));
    }

    @Test
    void snapshotOfAnotherModelIsRejected() {
        Sequential model = Mlp.relu(3, 4, 2, 1, Init.he(), RANDOM);
        Sequential other = Mlp.relu(3, 5, 2, 1, Init.he(), RANDOM);

        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new WeightDistance(other.snapshot()).measure(model));
        assertTrue(error.getMessage().contains("[3, 4] and [3, 5]"), error.getMessage());
    }
}
