package org.sgdlab.nn;

import java.util.ArrayList;
import java.util.List;
import org.sgdlab.tensor.Tensor;

/** Modules applied one after the other; their parameters are named by position ("0.weight"). */
public class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(List<? extends Module> modules) {
        for (Module module : modules) {
            add(module);
        }
    }

    public Sequential(Module... modules) {
        this(List.of(modules));
    }

    /** Appends a module. */
    public final Sequential add(Module module) {
        registerChild(Integer.toString(layers.size()), module);
        layers.add(module);
        return this;
    }

    /** The modules in order. */
    public List<Module> layers() {
        return List.copyOf(layers);
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module layer : layers) {
            x = layer.forward(x);
        }
        return x;
    }
}
