package org.sgdlab.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class SignFlipsTest {
    private static final RandomStream RANDOM = new RandomStream(7);

    @Test
    void untouchedModelHasNoFlips() {
        Sequential model = Mlp.relu(4, 16, 3, 1, Init.he(), RANDOM.derive("model"));
        Tensor inputs = Tensor.gaussian(RANDOM.derive("inputs"), 1, 20, 4);

        Map<String, Double> measured = new SignFlips(model, inputs).measure(model);

        assertEquals(0.0, measured.get("sign_flip_fraction_1"));
        assertEquals(0.0, measured.get("sign_flip_fraction_2"));
        assertEquals(0.0, measured.get("sign_flip_fraction"));
    }

    @Test
    void negatingOneUnitFlipsItOnEveryExample() {
        int width = 8;
        int examples = 10;
        Sequential model = Mlp.twoLayerFixedOutput(3, width, RANDOM.derive("model"));
        Tensor inputs = Tensor.gaussian(RANDOM.derive("inputs"), 1, examples, 3);
        SignFlips probe = new SignFlips(model, inputs);

        float[] weight = ((Linear) model.layers().get(0)).weight().data();
        int unit = 5;
        for (int i = 0; i < 3; i++) {
            weight[i * width + unit] = -weight[i * width + unit];
        }
        Map<String, Double> measured = probe.measure(model);

        assertEquals(1.0 / width, measured.get("sign_flip_fraction_1"), 1e-12);
        assertEquals(1.0 / width, measured.get("sign_flip_fraction"), 1e-12);
    }

    @Test
    void patternsFollowTheSignOfEachPreActivation() {
        Linear hidden = new Linear(2, 2, false, Init.gaussian(1), RANDOM);
        float[] w = hidden.weight().data();
        w[0] = 1f;
        w[1] = -1f;
        w[2] = 0f;
        w[3] = 1f;
        Sequential model =
                new Sequential(
                        hidden, Activation.relu(), new Linear(2, 1, false, Init.signs(), RANDOM));
        Tensor inputs = Tensor.matrix(new double[][] {{1, 2}, {-1, 0}});

        boolean[] active = SignFlips.signPatterns(model, inputs).get(0);

        // z = x W: (1, 2) gives (1, 1), (-1, 0) gives (-1, 1).
        assertArrayEquals(new boolean[] {true, true, false, true}, active);
        assertEquals(
                0.5, SignFlips.signFlipFraction(new boolean[] {true, false, false, false}, active));
    }

    @Test
    void networkThatIsNotSequentialIsRejectedByName() {
        Linear layer = new Linear(2, 2, false, Init.he(), RANDOM);
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new SignFlips(layer, Tensor.zeros(1, 2)));
        assertTrue(error.getMessage().contains("got Linear"), error.getMessage());
    }
}
