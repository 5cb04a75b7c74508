package org.sgdlab.nn;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.sgdlab.autograd.Ops;
import org.sgdlab.tensor.Tensor;

/**
 * An element-wise nonlinearity as a layer: ReLU for the networks we train, and the smooth ones
 * (sin, cos, exp, tanh, sigmoid, x^2, x^3) that teacher networks use.
 */
public final class Activation extends Module {
    private final String name;
    private final UnaryOperator<Tensor> function;

    private Activation(String name, UnaryOperator<Tensor> function) {
        this.name = name;
        this.function = function;
    }

    public static Activation relu() {
        return new Activation("relu", Ops::relu);
    }

    /** The activation of a name: relu, sin, cos, exp, tanh, sigmoid, square, cube. */
    public static Activation of(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "relu":
                return relu();
            case "sin":
                return new Activation("sin", Ops::sin);
            case "cos":
                return new Activation("cos", Ops::cos);
            case "exp":
                return new Activation("exp", Ops::exp);
            case "tanh":
                return new Activation("tanh", Ops::tanh);
            case "sigmoid":
                return new Activation("sigmoid", Ops::sigmoid);
            case "square":
                return new Activation("square", x -> Ops.pow(x, 2));
            case "cube":
                return new Activation("cube", x -> Ops.pow(x, 3));
            default:
                throw new IllegalArgumentException(
                        "unknown activation '"
                                + name
                                + "'; allowed: relu, sin, cos, exp, tanh, sigmoid, square, cube");
        }
    }

    public String name() {
        return name;
    }

    /** Whether this is the ReLU, whose sign pattern the probes follow. */
    public boolean isRelu() {
        return name.equals("relu");
    }

    @Override
    public Tensor forward(Tensor input) {
        return function.apply(input);
    }
}
