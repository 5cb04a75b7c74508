package org.sgdlab.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dense, row-major float32 tensor that can take part in reverse-mode differentiation.
 *
 * <p>A tensor owns a flat {@code float[]} of {@code numel()} values and a shape. A tensor that
 * {@link #requiresGrad() requires a gradient} accumulates one into its gradient buffer when {@link
 * #backward()} runs on a scalar that depends on it; gradients add up over calls until {@link
 * #zeroGrad()}. Zeroing is lazy: it marks the buffer stale and the next accumulation overwrites it,
 * so the SGD loop pays for no extra pass over the parameters (the same effect as PyTorch's {@code
 * set_to_none}).
 *
 * <p>A gradient that is an outer product, as the weight gradient of a layer fed one example is, may
 * be held as its two factors ({@link #setOuterProductGrad}); it is expanded on first read, and an
 * optimizer can apply it without expanding it, which saves a pass over the weights in the SGD of
 * the theory (batch size one).
 *
 * <p>An optimizer may also defer such an update of the values themselves ({@link
 * #deferOuterProduct}): the values then read as updated, since every read through {@link #data()}
 * applies it first, but a product of one example with this matrix may take the update over and
 * apply it row by row while it reads the rows ({@link #takeDeferredUpdate}). That saves a second
 * pass over a large weight in each step of batch size one, and gives the same values, bit for bit,
 * as applying the update at once.
 *
 * <p>The values are exposed through {@link #data()} without a copy, for the kernels and probes that
 * need speed; code that writes into them must not do so while a graph that read them is waiting for
 * {@code backward()}.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;
    private boolean requiresGrad;
    private float[] grad;
    private boolean gradLive;
    private float[] outerLeft;
    private float[] outerRight;
    private float outerScale;
    private DeferredUpdate deferred;
    private Backward backward;
    private Tensor[] inputs;

    /**
     * How an operation passes its output's gradient to its inputs. It reads {@code
     * output.gradBuffer()} and accumulates into those of its inputs that require a gradient.
     */
    @FunctionalInterface
    public interface Backward {
        void apply(Tensor output);
    }

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps the array without copying it; its length must equal the product of the shape. */
    public static Tensor wrap(float[] data, int... shape) {
        int[] checked = checkShape(shape);
        if (numel(checked) != data.length) {
            throw new IllegalArgumentException(
                    "shape "
                            + Arrays.toString(shape)
                            + " holds "
                            + numel(checked)
                            + " values, got an array of "
                            + data.length);
        }
        return new Tensor(data, checked);
    }

    /** A tensor holding a copy of the values. */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** A matrix from rows of equal length. */
    public static Tensor matrix(double[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        float[] values = new float[rows.length * columns];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != columns) {
                throw new IllegalArgumentException(
                        "row " + i + " has " + rows[i].length + " values, expected " + columns);
            }
            for (int j = 0; j < columns; j++) {
                values[i * columns + j] = (float) rows[i][j];
            }
        }
        return wrap(values, rows.length, columns);
    }

    /** A vector of the values. */
    public static Tensor vector(double... values) {
        float[] copy = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            copy[i] = (float) values[i];
        }
        return wrap(copy, values.length);
    }

    /** A rank-0 tensor holding one value. */
    public static Tensor scalar(double value) {
        return new Tensor(new float[] {(float) value}, new int[0]);
    }

    public static Tensor zeros(int... shape) {
        int[] checked = checkShape(shape);
        return new Tensor(new float[numel(checked)], checked);
    }

    public static Tensor full(double value, int... shape) {
        Tensor result = zeros(shape);
        Arrays.fill(result.data, (float) value);
        return result;
    }

    /** Independent samples of N(0, std^2). */
    public static Tensor gaussian(RandomStream random, double std, int... shape) {
        Tensor result = zeros(shape);
        for (int i = 0; i < result.data.length; i++) {
            result.data[i] = (float) (std * random.nextGaussian());
        }
        return result;
    }

    /** Independent samples of U[low, high). */
    public static Tensor uniform(RandomStream random, double low, double high, int... shape) {
        Tensor result = zeros(shape);
        for (int i = 0; i < result.data.length; i++) {
            result.data[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return result;
    }

    /** The underlying values, row-major, without a copy, with any deferred update applied. */
    public float[] data() {
        if (deferred != null) {
            DeferredUpdate update = deferred;
            deferred = null;
            Gemm.addOuterProduct(update.scale(), update.left(), update.right(), data);
        }
        return data;
    }

    /**
     * An update values += scale left right^T of a matrix [m, n] not yet applied: left holds m
     * values, right n.
     */
    public record DeferredUpdate(float scale, float[] left, float[] right) {}

    /**
     * Defers the update values += scale left right^T of this matrix [m, n] until the values are
     * next read, applying any update deferred before first. The arrays are kept, not copied.
     */
    public void deferOuterProduct(float scale, float[] left, float[] right) {
        if (shape.length != 2 || left.length != shape[0] || right.length != shape[1]) {
            throw new IllegalArgumentException(
                    "an outer product of "
                            + left.length
                            + " x "
                            + right.length
                            + " does not fit shape "
                            + Arrays.toString(shape));
        }
        data();
        deferred = new DeferredUpdate(scale, left, right);
    }

    /**
     * Hands over the deferred update, or null when there is none, for a kernel that applies it to
     * {@link #dataAsStored()} before it reads them; afterwards the values read as stored.
     */
    public DeferredUpdate takeDeferredUpdate() {
        DeferredUpdate update = deferred;
        deferred = null;
        return update;
    }

    /**
     * The stored values without applying a deferred update, for the kernel that took it over
     * through {@link #takeDeferredUpdate}.
     */
    public float[] dataAsStored() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** The extent along an axis; negative axes count from the end. */
    public int size(int axis) {
        return shape[normalizeAxis(axis)];
    }

    /** The number of values. */
    public int numel() {
        return data.length;
    }

    /** The number of rows of a matrix, or the leading extent of any tensor. */
    public int rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** The number of values per leading index: the product of all extents but the first. */
    public int rowSize() {
        return shape.length == 0 ? 1 : data.length / Math.max(shape[0], 1);
    }

    /** The value at the given indices, one per axis. */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(
                    "tensor of shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + shape.length
                            + " indices, got "
                            + index.length);
        }
        int offset = 0;
        for (int axis = 0; axis < shape.length; axis++) {
            if (index[axis] < 0 || index[axis] >= shape[axis]) {
                throw new IndexOutOfBoundsException(
                        "index "
                                + index[axis]
                                + " out of range for axis "
                                + axis
                                + " of shape "
                                + Arrays.toString(shape));
            }
            offset = offset * shape[axis] + index[axis];
        }
        return data()[offset];
    }

    /** The single value of a tensor with one element. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException(
                    "item() needs a tensor with one value, got shape " + Arrays.toString(shape));
        }
        return data()[0];
    }

    /** A copy of the values that does not take part in differentiation. */
    public Tensor copy() {
        return new Tensor(data().clone(), shape.clone());
    }

    /** The same values, cut from the graph: gradients do not flow through the result. */
    public Tensor detach() {
        return new Tensor(data(), shape.clone());
    }

    /** A tensor over the same values with another shape of the same size. */
    public Tensor viewAs(int... newShape) {
        return wrap(data(), newShape);
    }

    /** Whether the two shapes are equal. */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks this tensor as one whose gradient is wanted, and returns it. */
    public Tensor requiresGrad(boolean required) {
        this.requiresGrad = required;
        return this;
    }

    /** Whether this tensor was produced by a differentiable operation. */
    public boolean hasGradientFunction() {
        return backward != null;
    }

    /**
     * Records how this tensor was computed, so that {@link #backward()} can pass gradients to the
     * inputs. Called by the operations of {@code org.sgdlab.autograd}.
     */
    public void setGradientFunction(Backward function, Tensor... from) {
        this.backward = function;
        this.inputs = from;
        this.requiresGrad = true;
    }

    /** The accumulated gradient, or null when none was computed since the last zeroGrad. */
    public Tensor grad() {
        if (!gradLive) {
            return null;
        }
        return new Tensor(gradBuffer(), shape.clone());
    }

    /** Whether a gradient has been accumulated since the last {@link #zeroGrad()}. */
    public boolean hasGrad() {
        return gradLive;
    }

    /** Clears the gradient; the next accumulation overwrites instead of adding. */
    public void zeroGrad() {
        gradLive = false;
        outerLeft = null;
        outerRight = null;
    }

    /**
     * Sets the gradient of this matrix [m, n] to scale * left right^T (left of length m, right of
     * length n) without expanding it, when no gradient is live; returns false, and changes nothing,
     * when one is, so that the caller adds its contribution the ordinary way.
     */
    public boolean setOuterProductGrad(float[] left, float[] right, float scale) {
        if (gradLive || shape.length != 2 || left.length != shape[0] || right.length != shape[1]) {
            return false;
        }
        outerLeft = left;
        outerRight = right;
        outerScale = scale;
        gradLive = true;
        return true;
    }

    /** Whether the live gradient is held as an outer product not yet expanded. */
    public boolean hasOuterProductGrad() {
        return gradLive && outerLeft != null;
    }

    /** The left factor of an outer-product gradient, see {@link #setOuterProductGrad}. */
    public float[] outerProductLeft() {
        return outerLeft;
    }

    /** The right factor of an outer-product gradient. */
    public float[] outerProductRight() {
        return outerRight;
    }

    /** The scale of an outer-product gradient. */
    public float outerProductScale() {
        return outerScale;
    }

    /**
     * The gradient buffer to write into, allocated on first use. When {@link #gradAccumulates()} is
     * false its contents are stale and must be overwritten, not added to; after writing, call
     * {@link #gradWritten()}.
     */
    public float[] gradBuffer() {
        if (grad == null) {
            grad = new float[data.length];
        }
        if (outerLeft != null) {
            int columns = shape[1];
            for (int i = 0; i < shape[0]; i++) {
                VectorMath.scaleInto(
                        outerScale * outerLeft[i], outerRight, 0, grad, i * columns, columns);
            }
            outerLeft = null;
            outerRight = null;
        }
        return grad;
    }

    /** Whether the gradient buffer holds live values that a new contribution adds to. */
    public boolean gradAccumulates() {
        return gradLive;
    }

    /** Marks the gradient buffer as holding live values. */
    public void gradWritten() {
        gradLive = true;
    }

    /** Adds a contribution to the gradient: grad += contribution. */
    public void accumulateGrad(float[] contribution) {
        float[] buffer = gradBuffer();
        if (gradLive) {
            for (int i = 0; i < buffer.length; i++) {
                buffer[i] += contribution[i];
            }
        } else {
            System.arraycopy(contribution, 0, buffer, 0, buffer.length);
            gradLive = true;
        }
    }

    /** Runs reverse-mode differentiation from this scalar, seeding its gradient with 1. */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException(
                    "backward() without a seed needs a scalar, got shape "
                            + Arrays.toString(shape));
        }
        backward(new float[] {1f});
    }

    /**
     * Runs reverse-mode differentiation from this tensor with the given output gradient. Every
     * tensor upstream that requires a gradient accumulates d(seed . this)/d(tensor). The graph is
     * released afterwards, so a second call needs a new forward pass.
     */
    public void backward(float[] seed) {
        if (!requiresGrad) {
            throw new IllegalStateException(
                    "backward() on a tensor that does not require a gradient: no parameter"
                            + " or input upstream of it requires one");
        }
        List<Tensor> order = topologicalOrder();
        accumulateGrad(seed);
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor node = order.get(i);
            if (node.backward != null && node.gradLive) {
                node.backward.apply(node);
            }
        }
        for (Tensor node : order) {
            if (node.backward != null) {
                node.backward = null;
                node.inputs = null;
                node.grad = null;
                node.zeroGrad();
            }
        }
    }

    private List<Tensor> topologicalOrder() {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        Deque<Tensor> stack = new ArrayDeque<>();
        Deque<Integer> next = new ArrayDeque<>();
        stack.push(this);
        next.push(0);
        visited.put(this, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Tensor node = stack.peek();
            int child = next.pop();
            Tensor[] from = node.inputs == null ? new Tensor[0] : node.inputs;
            if (child < from.length) {
                next.push(child + 1);
                Tensor input = from[child];
                if (input.requiresGrad && visited.put(input, Boolean.TRUE) == null) {
                    stack.push(input);
                    next.push(0);
                }
            } else {
                stack.pop();
                order.add(node);
            }
        }
        return order;
    }

    /** The product of the extents. */
    public static int numel(int... shape) {
        long count = 1;
        for (int extent : shape) {
            count *= extent;
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds more than 2^31 values");
        }
        return (int) count;
    }

    private static int[] checkShape(int[] shape) {
        for (int extent : shape) {
            if (extent < 0) {
                throw new IllegalArgumentException(
                        "shape extents must be non-negative, got " + Arrays.toString(shape));
            }
        }
        return shape.clone();
    }

    private int normalizeAxis(int axis) {
        int normalized = axis < 0 ? axis + shape.length : axis;
        if (normalized < 0 || normalized >= shape.length) {
            throw new IllegalArgumentException(
                    "axis " + axis + " out of range for shape " + Arrays.toString(shape));
        }
        return normalized;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Tensor").append(Arrays.toString(shape));
        float[] values = data();
        int shown = Math.min(values.length, 8);
        text.append(" [");
        for (int i = 0; i < shown; i++) {
            text.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return text.append(values.length > shown ? ", ...]" : "]").toString();
    }
}
