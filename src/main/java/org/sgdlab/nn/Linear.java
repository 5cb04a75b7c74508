package org.sgdlab.nn;

import org.sgdlab.autograd.Ops;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * A fully connected layer: y = c x W + b, with x of shape [n, in], W of shape [in, out], b of shape
 * [out] and c the scheme's forward factor (1, or 1/sqrt(in) under NTK).
 *
 * <p>W is stored input-major, as Flax stores a dense kernel; PyTorch's {@code nn.Linear} stores its
 * transpose. Files written by sgdlab name it {@code weight} in PyTorch's layout (see the README).
 */
public final class Linear extends Module {
    private final Tensor weight;
    private final Tensor bias;
    private final float scale;

    /** A layer drawn from the scheme, with a bias when asked. */
    public Linear(int in, int out, boolean withBias, Init init, RandomStream random) {
        this(in, out, withBias, init, init.forwardScale(in), random);
    }

    /** A layer drawn from the scheme with an explicit forward factor c. */
    public Linear(int in, int out, boolean withBias, Init init, float scale, RandomStream random) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(
                    "a linear layer needs positive sizes, got in=" + in + ", out=" + out);
        }
        Tensor w = Tensor.zeros(in, out);
        init.fill(w.data(), in, random);
        this.weight = registerParameter("weight", w);
        this.bias = withBias ? registerParameter("bias", Tensor.zeros(out)) : null;
        this.scale = scale;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Ops.linear(input, weight, bias, scale);
    }

    /** W, of shape [in, out]. */
    public Tensor weight() {
        return weight;
    }

    /** b, or null for a layer without bias. */
    public Tensor bias() {
        return bias;
    }

    /** The forward factor c. */
    public float scale() {
        return scale;
    }

    public int inputs() {
        return weight.size(0);
    }

    public int outputs() {
        return weight.size(1);
    }
}
