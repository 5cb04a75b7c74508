package org.sgdlab.nn;

import java.util.Locale;
import org.sgdlab.tensor.RandomStream;

/**
 * How a weight matrix is drawn, and the factor its layer applies in the forward pass.
 *
 * <p>For a layer with fan-in n (inputs per unit):
 *
 * <ul>
 *   <li>{@code he}: W_ij ~ N(0, 2/n), factor 1 (Kaiming normal, for ReLU).
 *   <li>{@code lecun}: W_ij ~ N(0, 1/n), factor 1.
 *   <li>{@code ntk}: W_ij ~ N(0, 1), factor 1/sqrt(n): the NTK parameterization of Jacot et al.,
 *       under which the tangent kernel has a limit as the width grows. Gradients carry the factor
 *       too, so the same learning rate means a different step than under {@code lecun}.
 *   <li>{@code gaussian(s)}: W_ij ~ N(0, s^2), factor 1.
 *   <li>{@code signs}: W_ij = +1 or -1 with probability 1/2 each, factor 1; with the factor
 *       1/sqrt(m) given explicitly, the fixed output layer of the two-layer analyses.
 * </ul>
 *
 * Biases start at zero under every scheme.
 */
public abstract class Init {
    private final String name;

    private Init(String name) {
        this.name = name;
    }

    /** Fills the weight of a layer with the given fan-in. */
    public abstract void fill(float[] weight, int fanIn, RandomStream random);

    /** The factor the layer multiplies its product by, 1 except under NTK. */
    public float forwardScale(int fanIn) {
        return 1f;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Kaiming normal: N(0, 2 / fanIn). */
    public static Init he() {
        return new Gaussian("he", 2);
    }

    /** LeCun normal: N(0, 1 / fanIn). */
    public static Init lecun() {
        return new Gaussian("lecun", 1);
    }

    /** N(0, std^2) whatever the fan-in. */
    public static Init gaussian(double std) {
        return new Init(String.format(Locale.ROOT, "gaussian(%s)", std)) {
            @Override
            public void fill(float[] weight, int fanIn, RandomStream random) {
                for (int i = 0; i < weight.length; i++) {
                    weight[i] = (float) (std * random.nextGaussian());
                }
            }
        };
    }

    /** The NTK parameterization: N(0, 1) weights and a forward factor 1/sqrt(fanIn). */
    public static Init ntk() {
        return new Init("ntk") {
            @Override
            public void fill(float[] weight, int fanIn, RandomStream random) {
                for (int i = 0; i < weight.length; i++) {
                    weight[i] = (float) random.nextGaussian();
                }
            }

            @Override
            public float forwardScale(int fanIn) {
                return (float) (1 / Math.sqrt(fanIn));
            }
        };
    }

    /** +1 or -1 with probability 1/2 each. */
    public static Init signs() {
        return new Init("signs") {
            @Override
            public void fill(float[] weight, int fanIn, RandomStream random) {
                for (int i = 0; i < weight.length; i++) {
                    weight[i] = random.nextDouble() < 0.5 ? 1f : -1f;
                }
            }
        };
    }

    /** The scheme of a command-line name: he, lecun, ntk, or gaussian:STD. */
    public static Init parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "he":
                return he();
            case "lecun":
                return lecun();
            case "ntk":
                return ntk();
            case "signs":
                return signs();
            default:
                if (lower.startsWith("gaussian:")) {
                    try {
                        double std = Double.parseDouble(lower.substring("gaussian:".length()));
                        if (std > 0 && Double.isFinite(std)) {
                            return gaussian(std);
                        }
                    } catch (NumberFormatException ignored) {
                        // reported below with the allowed values
                    }
                }
                throw new IllegalArgumentException(
                        "unknown initialization '"
                                + text
                                + "'; allowed: he, lecun, ntk, signs, gaussian:STD with STD > 0");
        }
    }

    private static final class Gaussian extends Init {
        private final double gain;

        Gaussian(String name, double gain) {
            super(name);
            this.gain = gain;
        }

        @Override
        public void fill(float[] weight, int fanIn, RandomStream random) {
            double std = Math.sqrt(gain / fanIn);
            for (int i = 0; i < weight.length; i++) {
                weight[i] = (float) (std * random.nextGaussian());
            }
        }
    }
}
