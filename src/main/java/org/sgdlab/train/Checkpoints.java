package org.sgdlab.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sgdlab.data.Safetensors;
import org.sgdlab.nn.Linear;
import org.sgdlab.nn.Module;
import org.sgdlab.tensor.Gemm;
import org.sgdlab.tensor.Tensor;

/**
 * Model weights in the safetensors format, laid out as PyTorch lays them out, so that {@code
 * model.load_state_dict(safetensors.torch.load_file(path))} works on the equivalent {@code
 * torch.nn.Sequential}.
 *
 * <p>Names are the module's dotted parameter names ({@code "0.weight"}, {@code "0.bias"}, {@code
 * "2.weight"}, ...), which are PyTorch's {@code state_dict} keys for the same layer order. A {@link
 * Linear} weight, stored here input-major as [in, out], is written transposed as PyTorch's [out,
 * in] and transposed back on loading; every other tensor is written as it is. Values are float32
 * (dtype F32).
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** Writes every parameter of the model, with the metadata, atomically. */
    public static void save(Module model, Path file, Map<String, String> metadata)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : model.namedParameters().entrySet()) {
            Tensor value = entry.getValue();
            tensors.put(
                    entry.getKey(),
                    isLinearWeight(model, entry.getKey()) ? transpose(value) : value);
        }
        tensors.putAll(model.namedBuffers());
        Safetensors.write(file, tensors, metadata);
    }

    /**
     * Loads values into the model's parameters by name. Every parameter must be present with the
     * shape it has in PyTorch's layout; extra tensors in the file are an error too, since they mean
     * the file belongs to another architecture.
     */
    public static void load(Module model, Path file) throws IOException {
        Map<String, Tensor> stored = new LinkedHashMap<>(Safetensors.read(file));
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        for (String name : model.namedBuffers().keySet()) {
            Tensor value = stored.remove(name);
            if (value == null) {
                throw new IllegalArgumentException(
                        file + ": no tensor '" + name + "'; the file has " + stored.keySet());
            }
            buffers.put(name, value);
        }
        Map<String, Tensor> own = model.namedParameters();
        for (String name : stored.keySet()) {
            if (!own.containsKey(name)) {
                throw new IllegalArgumentException(
                        file
                                + ": tensor '"
                                + name
                                + "' is not a parameter of this model; it has "
                                + own.keySet());
            }
        }
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : own.entrySet()) {
            String name = entry.getKey();
            Tensor value = stored.get(name);
            if (value == null) {
                throw new IllegalArgumentException(
                        file + ": no tensor '" + name + "'; the file has " + stored.keySet());
            }
            boolean linear = isLinearWeight(model, name);
            int[] expected = linear ? transposedShape(entry.getValue()) : entry.getValue().shape();
            if (!Arrays.equals(expected, value.shape())) {
                throw new IllegalArgumentException(
                        file
                                + ": tensor '"
                                + name
                                + "' has shape "
                                + Arrays.toString(value.shape())
                                + ", the model needs "
                                + Arrays.toString(expected));
            }
            values.put(name, linear ? transpose(value) : value);
        }
        model.loadParameters(values);
        model.loadBuffers(buffers);
    }

    private static boolean isLinearWeight(Module model, String name) {
        if (!name.endsWith(".weight") && !name.equals("weight")) {
            return false;
        }
        Module owner = model;
        String[] path = name.split("\\.");
        for (int i = 0; i < path.length - 1; i++) {
            owner = owner.children().get(path[i]);
            if (owner == null) {
                return false;
            }
        }
        return owner instanceof Linear;
    }

    private static int[] transposedShape(Tensor matrix) {
        return new int[] {matrix.size(1), matrix.size(0)};
    }

    private static Tensor transpose(Tensor matrix) {
        int rows = matrix.size(0);
        int columns = matrix.size(1);
        return Tensor.wrap(Gemm.transpose(matrix.data(), rows, columns), columns, rows);
    }
}
