package org.sgdlab.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdlab.autograd.NoGrad;
import org.sgdlab.nn.Activation;
import org.sgdlab.nn.Module;
import org.sgdlab.nn.Sequential;
import org.sgdlab.tensor.Tensor;
import org.sgdlab.train.Probe;

/**
 * The share of ReLU sign patterns that differ from the ones at initialization.
 *
 * <p>For hidden layer l with pre-activations z_{i,r} = (W_l h_{l-1}(x_i) + b_l)_r of unit r on
 * training example x_i, the sign flip fraction at step t is
 *
 * <pre>
 * flips_l(t) = (1 / (n m_l)) sum_i sum_r 1{ 1{z_{i,r}(t) > 0} != 1{z_{i,r}(0) > 0} }
 * </pre>
 *
 * over n examples and m_l units. A pre-activation of exactly 0 counts as inactive, as the ReLU's
 * derivative does. In Du et al. (2019) the wider the two-layer network, the smaller this share (it
 * is bounded by the share of pairs with |w_r(0) . x_i| below the distance unit r moves).
 *
 * <p>The network must be a {@link Sequential} (nested ones are flattened) whose hidden layers are
 * followed by ReLU {@link Activation}s; it runs layer by layer without gradients to read the input
 * of every ReLU. The measurements are named {@code sign_flip_fraction_l} for hidden layer l = 1, 2,
 * ..., and {@code sign_flip_fraction} for the share over all hidden layers together.
 */
public final class SignFlips implements Probe {
    private final Tensor inputs;
    private final List<boolean[]> initialPatterns;

    /** Records the sign patterns of the model now, which must be its initialization. */
    public SignFlips(Module model, Tensor inputs) {
        this.inputs = inputs;
        this.initialPatterns = signPatterns(model, inputs);
    }

    /** The patterns recorded at initialization, one per ReLU layer. */
    public List<boolean[]> initialPatterns() {
        return initialPatterns;
    }

    @Override
    public Map<String, Double> measure(Module model) {
        List<boolean[]> current = signPatterns(model, inputs);
        if (current.size() != initialPatterns.size()) {
            throw new IllegalArgumentException(
                    "the model has "
                            + current.size()
                            + " ReLU layers, the initial patterns "
                            + initialPatterns.size());
        }
        Map<String, Double> measurements = new LinkedHashMap<>();
        long flipped = 0;
        long pairs = 0;
        for (int layer = 0; layer < current.size(); layer++) {
            long count = flipCount(initialPatterns.get(layer), current.get(layer));
            int size = current.get(layer).length;
            measurements.put("sign_flip_fraction_" + (layer + 1), count / (double) size);
            flipped += count;
            pairs += size;
        }
        measurements.put("sign_flip_fraction", pairs == 0 ? 0.0 : flipped / (double) pairs);
        return measurements;
    }

    /**
     * The activation pattern of every ReLU layer: entry i * m + r is whether unit r of that layer
     * is active (its pre-activation positive) on example i.
     */
    public static List<boolean[]> signPatterns(Module model, Tensor inputs) {
        List<boolean[]> patterns = new ArrayList<>();
        for (Tensor preActivation : reluInputs(model, inputs)) {
            float[] z = preActivation.data();
            boolean[] active = new boolean[z.length];
            for (int i = 0; i < z.length; i++) {
                active[i] = z[i] > 0f;
            }
            patterns.add(active);
        }
        return patterns;
    }

    /**
     * The input of every ReLU of the network on the inputs, in order, computed without gradients.
     */
    public static List<Tensor> reluInputs(Module model, Tensor inputs) {
        List<Tensor> collected = new ArrayList<>();
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor x = inputs;
            for (Module layer : layers(model)) {
                if (layer instanceof Activation activation && activation.isRelu()) {
                    collected.add(x);
                }
                x = layer.forward(x);
            }
        }
        return collected;
    }

    /** The share of entries where the two patterns differ. */
    public static double signFlipFraction(boolean[] initial, boolean[] current) {
        return current.length == 0 ? 0.0 : flipCount(initial, current) / (double) current.length;
    }

    private static long flipCount(boolean[] initial, boolean[] current) {
        if (initial.length != current.length) {
            throw new IllegalArgumentException(
                    "sign patterns must have the same size, got "
                            + initial.length
                            + " and "
                            + current.length);
        }
        long count = 0;
        for (int i = 0; i < current.length; i++) {
            if (initial[i] != current[i]) {
                count++;
            }
        }
        return count;
    }

    /** The layers of a Sequential, nested ones flattened. */
    static List<Module> layers(Module model) {
        if (!(model instanceof Sequential sequential)) {
            throw new IllegalArgumentException(
                    "sign flips need a Sequential network to follow layer by layer, got "
                            + model.getClass().getSimpleName());
        }
        List<Module> flat = new ArrayList<>();
        for (Module layer : sequential.layers()) {
            if (layer instanceof Sequential) {
                flat.addAll(layers(layer));
            } else {
                flat.add(layer);
            }
        }
        return flat;
    }
}
