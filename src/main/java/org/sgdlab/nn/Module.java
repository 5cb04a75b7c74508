package org.sgdlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdlab.tensor.Tensor;

/**
 * A network or a part of one: a forward map with named parameters, named buffers and named
 * children.
 *
 * <p>Parameter names are dotted paths in registration order ({@code "0.weight"}, {@code "2.bias"}),
 * as in PyTorch's {@code state_dict}. A frozen module keeps its parameters fixed: they do not
 * require gradients, so no gradient reaches them and the optimizer leaves them alone.
 *
 * <p>Buffers are state that the forward pass reads and a checkpoint must save, but that no
 * optimizer trains, such as the running statistics of batch normalization. They are named like
 * parameters ({@code "1.running_mean"}) and never require a gradient.
 */
public abstract class Module {
    private final Map<String, Tensor> ownParameters = new LinkedHashMap<>();
    private final Map<String, Tensor> ownBuffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The output of the module for a batch of inputs. */
    public abstract Tensor forward(Tensor input);

    /** Registers a parameter under a name; it requires a gradient. */
    protected Tensor registerParameter(String name, Tensor parameter) {
        ownParameters.put(name, parameter.requiresGrad(true));
        return parameter;
    }

    /** Registers a buffer under a name: state that is saved with the module but not trained. */
    protected Tensor registerBuffer(String name, Tensor buffer) {
        ownBuffers.put(name, buffer.requiresGrad(false));
        return buffer;
    }

    /** Registers a child module under a name. */
    protected <M extends Module> M registerChild(String name, M child) {
        children.put(name, child);
        return child;
    }

    /** Every parameter, trainable or frozen, by dotted name in registration order. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> all = new LinkedHashMap<>(ownParameters);
        for (Map.Entry<String, Module> child : children.entrySet()) {
            for (Map.Entry<String, Tensor> parameter :
                    child.getValue().namedParameters().entrySet()) {
                all.put(child.getKey() + "." + parameter.getKey(), parameter.getValue());
            }
        }
        return all;
    }

    /** This module's own buffers by name, without its children's; the tensors are live. */
    public Map<String, Tensor> buffers() {
        return new LinkedHashMap<>(ownBuffers);
    }

    /** Every buffer, here and in the children, by dotted name in registration order. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> all = new LinkedHashMap<>(ownBuffers);
        for (Map.Entry<String, Module> child : children.entrySet()) {
            for (Map.Entry<String, Tensor> buffer : child.getValue().namedBuffers().entrySet()) {
                all.put(child.getKey() + "." + buffer.getKey(), buffer.getValue());
            }
        }
        return all;
    }

    /** Every parameter, trainable or frozen, in registration order. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The parameters that require a gradient. */
    public List<Tensor> trainableParameters() {
        List<Tensor> trainable = new ArrayList<>();
        for (Tensor parameter : parameters()) {
            if (parameter.requiresGrad()) {
                trainable.add(parameter);
            }
        }
        return trainable;
    }

    /** The number of values in all parameters. */
    public long parameterCount() {
        long count = 0;
        for (Tensor parameter : parameters()) {
            count += parameter.numel();
        }
        return count;
    }

    /** The child modules by name. */
    public Map<String, Module> children() {
        return new LinkedHashMap<>(children);
    }

    /** Stops training this module's parameters, and its children's. */
    public Module freeze() {
        for (Tensor parameter : parameters()) {
            parameter.requiresGrad(false);
        }
        return this;
    }

    /** Trains this module's parameters again, and its children's. */
    public Module unfreeze() {
        for (Tensor parameter : parameters()) {
            parameter.requiresGrad(true);
        }
        return this;
    }

    /** Switches training behaviour (noise, batch statistics) on or off, here and in children. */
    public void train(boolean enabled) {
        training = enabled;
        for (Module child : children.values()) {
            child.train(enabled);
        }
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears the gradients of every parameter. */
    public void zeroGrad() {
        for (Tensor parameter : parameters()) {
            parameter.zeroGrad();
        }
    }

    /** Copies the values of the given parameters, matched by name and shape, into this module. */
    public void loadParameters(Map<String, Tensor> values) {
        copyInto(namedParameters(), values, "parameter");
    }

    /** Copies the values of the given buffers, matched by name and shape, into this module. */
    public void loadBuffers(Map<String, Tensor> values) {
        copyInto(namedBuffers(), values, "buffer");
    }

    /** Copies of all parameter values, by name: a snapshot such as the initial weights. */
    public Map<String, Tensor> snapshot() {
        Map<String, Tensor> copies = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : namedParameters().entrySet()) {
            copies.put(entry.getKey(), entry.getValue().copy());
        }
        return copies;
    }

    private static void copyInto(Map<String, Tensor> own, Map<String, Tensor> values, String kind) {
        for (Map.Entry<String, Tensor> entry : own.entrySet()) {
            Tensor source = values.get(entry.getKey());
            if (source == null) {
                throw new IllegalArgumentException(
                        "no values for "
                                + kind
                                + " '"
                                + entry.getKey()
                                + "'; the model has "
                                + own.keySet());
            }
            if (!source.sameShape(entry.getValue())) {
                throw new IllegalArgumentException(
                        kind
                                + " '"
                                + entry.getKey()
                                + "' has shape "
                                + Arrays.toString(entry.getValue().shape())
                                + ", the values have "
                                + Arrays.toString(source.shape()));
            }
            System.arraycopy(source.data(), 0, entry.getValue().data(), 0, source.numel());
        }
    }
}
