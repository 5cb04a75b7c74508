package org.sgdlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sgdlab.autograd.Ops;
import org.sgdlab.autograd.SequenceOps;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * An Elman recurrent network with ReLU, on sequences [n, T, d] (example, time step, feature):
 *
 * <pre>
 * h_0 = 0,   h_t = relu(a x_t A + c h_{t-1} W + b)   for t = 1..T
 * </pre>
 *
 * with the input weight A of shape [d, m], the recurrent weight W of shape [m, m] (both stored
 * input-major like a {@link Linear} weight), the bias b [m], and the scheme's forward factors a
 * (fan-in d) and c (fan-in m), 1 except under NTK. The output is the last state h_T [n, m], or all
 * states [n, T, m] when asked. The forward pass unrolls into ordinary differentiable operations, so
 * {@code backward()} is backpropagation through time; the input products of all steps are one
 * matrix product of the [n T, d] inputs.
 */
public final class ReluRnn extends Module {
    private final Tensor inputWeight;
    private final Tensor recurrentWeight;
    private final Tensor bias;
    private final float inputScale;
    private final float recurrentScale;
    private final boolean allStates;

    /**
     * A network with input size d and hidden size m, both weights drawn from the scheme, bias zero;
     * it returns all states when allStates is set, the last one otherwise.
     */
    public ReluRnn(int inputs, int hidden, boolean allStates, Init init, RandomStream random) {
        if (inputs <= 0 || hidden <= 0) {
            throw new IllegalArgumentException(
                    "a recurrent network needs positive sizes, got inputs="
                            + inputs
                            + ", hidden="
                            + hidden);
        }
        Tensor a = Tensor.zeros(inputs, hidden);
        init.fill(a.data(), inputs, random.derive("input"));
        Tensor w = Tensor.zeros(hidden, hidden);
        init.fill(w.data(), hidden, random.derive("recurrent"));
        this.inputWeight = registerParameter("input_weight", a);
        this.recurrentWeight = registerParameter("recurrent_weight", w);
        this.bias = registerParameter("bias", Tensor.zeros(hidden));
        this.inputScale = init.forwardScale(inputs);
        this.recurrentScale = init.forwardScale(hidden);
        this.allStates = allStates;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.rank() != 3 || input.size(1) < 1 || input.size(2) != inputWeight.size(0)) {
            throw new IllegalArgumentException(
                    "recurrent network with input weight "
                            + Arrays.toString(inputWeight.shape())
                            + " needs sequences [n, T, "
                            + inputWeight.size(0)
                            + "] with T >= 1, got "
                            + Arrays.toString(input.shape()));
        }
        int n = input.size(0);
        int steps = input.size(1);
        int hidden = inputWeight.size(1);
        Tensor flat = Ops.reshape(input, n * steps, input.size(2));
        Tensor projected =
                Ops.reshape(Ops.linear(flat, inputWeight, bias, inputScale), n, steps, hidden);

        List<Tensor> states = new ArrayList<>();
        Tensor state = Ops.relu(SequenceOps.step(projected, 0));
        states.add(state);
        for (int t = 1; t < steps; t++) {
            Tensor recurrent = Ops.linear(state, recurrentWeight, null, recurrentScale);
            state = Ops.relu(Ops.add(SequenceOps.step(projected, t), recurrent));
            states.add(state);
        }
        return allStates ? SequenceOps.stack(states) : state;
    }

    /** A, of shape [d, m]. */
    public Tensor inputWeight() {
        return inputWeight;
    }

    /** W, of shape [m, m]. */
    public Tensor recurrentWeight() {
        return recurrentWeight;
    }

    /** b, of shape [m]. */
    public Tensor bias() {
        return bias;
    }

    public int hidden() {
        return inputWeight.size(1);
    }
}
