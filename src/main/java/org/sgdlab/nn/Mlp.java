package org.sgdlab.nn;

import java.util.ArrayList;
import java.util.List;
import org.sgdlab.tensor.RandomStream;

/**
 * Builders of fully connected ReLU networks.
 *
 * <p>Depth counts weight layers, as the theory does: depth 2 is one hidden layer, f(x) = W2 relu(W1
 * x + b1) + b2. Every hidden layer has the same width.
 */
public final class Mlp {
    private Mlp() {}

    /** A ReLU network with biases, every layer drawn from the scheme. */
    public static Sequential relu(
            int inputs, int width, int depth, int outputs, Init init, RandomStream random) {
        return build(inputs, width, depth, outputs, init, true, Activation::relu, random);
    }

    /**
     * A network of any activation; each layer draws from its own stream derived from {@code
     * random}, so the first layer of two networks of different depth is the same.
     */
    public static Sequential build(
            int inputs,
            int width,
            int depth,
            int outputs,
            Init init,
            boolean withBias,
            java.util.function.Supplier<Activation> activation,
            RandomStream random) {
        if (inputs <= 0 || width <= 0 || outputs <= 0) {
            throw new IllegalArgumentException(
                    "an MLP needs positive sizes, got inputs="
                            + inputs
                            + ", width="
                            + width
                            + ", outputs="
                            + outputs);
        }
        if (depth < 1) {
            throw new IllegalArgumentException(
                    "depth counts weight layers and must be at least 1, got " + depth);
        }
        List<Module> layers = new ArrayList<>();
        int fanIn = inputs;
        for (int layer = 0; layer < depth - 1; layer++) {
            layers.add(new Linear(fanIn, width, withBias, init, random.derive("layer", layer)));
            layers.add(activation.get());
            fanIn = width;
        }
        layers.add(new Linear(fanIn, outputs, withBias, init, random.derive("layer", depth - 1)));
        return new Sequential(layers);
    }

    /**
     * The two-layer network of Du, Zhai, Poczos and Singh (2019): f(x) = (1/sqrt(m)) sum_r a_r
     * relu(w_r . x), with w_r ~ N(0, I) trained and a_r = +1 or -1 frozen, no biases.
     */
    public static Sequential twoLayerFixedOutput(int inputs, int width, RandomStream random) {
        Linear hidden =
                new Linear(inputs, width, false, Init.gaussian(1), random.derive("layer", 0));
        Linear output =
                new Linear(
                        width,
                        1,
                        false,
                        Init.signs(),
                        (float) (1 / Math.sqrt(width)),
                        random.derive("layer", 1));
        output.freeze();
        return new Sequential(hidden, Activation.relu(), output);
    }
}
