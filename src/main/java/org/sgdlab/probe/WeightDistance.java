package org.sgdlab.probe;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sgdlab.nn.Module;
import org.sgdlab.tensor.Tensor;
import org.sgdlab.train.Probe;

/**
 * How far the weights moved from their initialization.
 *
 * <p>For a weight W of layer l, with W_0 its initial value:
 *
 * <pre>
 * relative distance      d_l(t) = ||W_t - W_0||_F / ||W_0||_F
 * largest unit distance  u_l(t) = max_r ||w_r(t) - w_r(0)||_2
 * </pre>
 *
 * where w_r is unit r's incoming weight vector, column r of a {@link org.sgdlab.nn.Linear} weight
 * stored [in, out]. With W_0 ~ N(0, 1) entries and the output scaled by 1/sqrt(m), as in Du et al.
 * (2019), training moves each unit by O(1/sqrt(m)), so both d and u fall like m^(-1/2).
 *
 * <p>Layer l counts the weight parameters (names ending in {@code weight}) in registration order,
 * frozen ones included, so the numbers match the layers; only trainable ones are measured. The
 * measurements are {@code relative_distance_l}, {@code largest_unit_distance_l} (rank-2 weights
 * only) and {@code relative_distance}, the distance of all trainable parameters together (biases
 * included) relative to their joint initial norm.
 */
public final class WeightDistance implements Probe {
    private final Map<String, Tensor> initial;

    /**
     * Measures against the given initial values, by parameter name: a {@link Module#snapshot()}.
     */
    public WeightDistance(Map<String, Tensor> initial) {
        this.initial = Map.copyOf(initial);
    }

    @Override
    public Map<String, Double> measure(Module model) {
        Map<String, Double> measurements = new LinkedHashMap<>();
        double moved = 0;
        double norm = 0;
        int layer = 0;
        for (Map.Entry<String, Tensor> entry : model.namedParameters().entrySet()) {
            Tensor current = entry.getValue();
            boolean weight = entry.getKey().endsWith("weight");
            layer += weight ? 1 : 0;
            if (!current.requiresGrad()) {
                continue;
            }
            Tensor start = initialValue(entry.getKey(), current);
            moved += squaredDistance(current, start);
            norm += squaredNorm(start);
            if (weight) {
                measurements.put("relative_distance_" + layer, relativeDistance(current, start));
                if (current.rank() == 2) {
                    measurements.put(
                            "largest_unit_distance_" + layer, largestUnitDistance(current, start));
                }
            }
        }
        measurements.put("relative_distance", Math.sqrt(moved / norm));
        return measurements;
    }

    /** ||current - initial||_F / ||initial||_F. */
    public static double relativeDistance(Tensor current, Tensor initial) {
        checkShapes(current, initial);
        return Math.sqrt(squaredDistance(current, initial) / squaredNorm(initial));
    }

    /**
     * max_r ||w_r(t) - w_r(0)||_2 over the columns r of weights of shape [in, out]: the distance of
     * the unit that moved most.
     */
    public static double largestUnitDistance(Tensor current, Tensor initial) {
        checkShapes(current, initial);
        if (current.rank() != 2) {
            throw new IllegalArgumentException(
                    "unit distances need a weight of shape [in, out], got "
                            + Arrays.toString(current.shape()));
        }
        double[] squared = unitSquaredDistances(current, initial);
        double largest = 0;
        for (double value : squared) {
            largest = Math.max(largest, value);
        }
        return Math.sqrt(largest);
    }

    /** ||w_r(t) - w_r(0)||_2 for every column r of weights of shape [in, out]. */
    public static double[] unitDistances(Tensor current, Tensor initial) {
        checkShapes(current, initial);
        double[] distances = unitSquaredDistances(current, initial);
        for (int r = 0; r < distances.length; r++) {
            distances[r] = Math.sqrt(distances[r]);
        }
        return distances;
    }

    private static double[] unitSquaredDistances(Tensor current, Tensor initial) {
        int in = current.size(0);
        int out = current.size(1);
        float[] a = current.data();
        float[] b = initial.data();
        double[] squared = new double[out];
        for (int i = 0; i < in; i++) {
            for (int r = 0; r < out; r++) {
                double difference = (double) a[i * out + r] - b[i * out + r];
                squared[r] += difference * difference;
            }
        }
        return squared;
    }

    private Tensor initialValue(String name, Tensor current) {
        Tensor start = initial.get(name);
        if (start == null) {
            throw new IllegalArgumentException(
                    "no initial value for parameter '"
                            + name
                            + "'; the snapshot has "
                            + initial.keySet());
        }
        checkShapes(current, start);
        return start;
    }

    private static double squaredDistance(Tensor current, Tensor initial) {
        float[] a = current.data();
        float[] b = initial.data();
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double difference = (double) a[i] - b[i];
            sum += difference * difference;
        }
        return sum;
    }

    private static double squaredNorm(Tensor tensor) {
        double sum = 0;
        for (float value : tensor.data()) {
            sum += (double) value * value;
        }
        return sum;
    }

    private static void checkShapes(Tensor current, Tensor initial) {
        if (!current.sameShape(initial)) {
            throw new IllegalArgumentException(
                    "current and initial weights must have the same shape, got "
                            + Arrays.toString(current.shape())
                            + " and "
                            + Arrays.toString(initial.shape()));
        }
    }
}
