package org.sgdlab.probe;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.sgdlab.autograd.NoGrad;
import org.sgdlab.nn.Activation;
import org.sgdlab.nn.Linear;
import org.sgdlab.nn.Module;
import org.sgdlab.tensor.Gemm;
import org.sgdlab.tensor.Tensor;
import org.sgdlab.train.Probe;

/**
 * The empirical neural tangent kernel of a scalar-output network on n examples: the Gram matrix
 *
 * <pre>
 * H_ij = &lt;df(x_i)/dtheta, df(x_j)/dtheta&gt;
 * </pre>
 *
 * over the trainable parameters theta, with its least eigenvalue and its relative change from
 * initialization ||H(t) - H(0)||_F / ||H(0)||_F. Under gradient flow on the loss (1/2) sum_i
 * (f(x_i) - y_i)^2 the outputs u follow du/dt = -H(t) (u - y), so a least eigenvalue bounded away
 * from zero and a kernel that barely moves give linear convergence (Du et al., 2019; Jacot et al.,
 * 2018).
 *
 * <p>Two ways to compute it. For a two-layer ReLU network without biases, f(x) = c_2 sum_r a_r
 * relu(c_1 w_r . x) ({@link org.sgdlab.nn.Mlp#twoLayerFixedOutput} has c_1 = 1, c_2 = 1/sqrt(m) and
 * a_r = +1 or -1), a closed form:
 *
 * <pre>
 * H_ij = c_1^2 c_2^2 (x_i . x_j) sum_r a_r^2 1{w_r . x_i &gt; 0} 1{w_r . x_j &gt; 0}   (w trained)
 *      + c_2^2 sum_r relu(c_1 w_r . x_i) relu(c_1 w_r . x_j)                        (a trained)
 * </pre>
 *
 * For a = +1 or -1 and c_1 c_2 = 1/sqrt(m) the first term is Du et al.'s (1/m) x_i . x_j sum_r
 * 1{..} 1{..}. Any other network takes one backward pass per example, stores the per-example
 * gradients as the rows of a Jacobian J [n, P] and forms J J^T, so it needs n P floats of memory.
 * The products run in float32; the kernel and its spectrum are kept in double, and the least
 * eigenvalue comes from EJML's symmetric eigen decomposition.
 *
 * <p>As a {@link Probe} it records H(0) when built and then reports {@code kernel_relative_change}
 * and, when asked, {@code kernel_least_eigenvalue} of H(t). The general path runs backward passes,
 * so it must not be measured inside a {@link NoGrad} scope; it leaves the parameters' gradients
 * cleared.
 */
public final class TangentKernel implements Probe {
    private final Tensor inputs;
    private final DMatrixRMaj initialGram;
    private final boolean withLeastEigenvalue;

    /**
     * Records H(0) of the model now, which must be its initialization.
     *
     * @param withLeastEigenvalue whether every measurement includes the least eigenvalue of H(t),
     *     an O(n^3) decomposition
     */
    public TangentKernel(Module model, Tensor inputs, boolean withLeastEigenvalue) {
        this.inputs = inputs;
        this.initialGram = gram(model, inputs);
        this.withLeastEigenvalue = withLeastEigenvalue;
    }

    /** H(0), as recorded when the probe was built; callers must not modify it. */
    public DMatrixRMaj initialGram() {
        return initialGram;
    }

    @Override
    public Map<String, Double> measure(Module model) {
        DMatrixRMaj current = gram(model, inputs);
        Map<String, Double> measurements = new LinkedHashMap<>();
        measurements.put("kernel_relative_change", relativeChange(current, initialGram));
        if (withLeastEigenvalue) {
            measurements.put("kernel_least_eigenvalue", leastEigenvalue(current));
        }
        return measurements;
    }

    /** The Gram matrix, by the closed form when the network allows it, else from gradients. */
    public static DMatrixRMaj gram(Module model, Tensor inputs) {
        return isTwoLayerRelu(model) ? twoLayerGram(model, inputs) : gradientGram(model, inputs);
    }

    /** Whether the network is Linear (no bias), ReLU, Linear (no bias, one output). */
    public static boolean isTwoLayerRelu(Module model) {
        List<Module> layers;
        try {
            layers = SignFlips.layers(model);
        } catch (IllegalArgumentException notSequential) {
            return false;
        }
        return layers.size() == 3
                && layers.get(0) instanceof Linear hidden
                && hidden.bias() == null
                && layers.get(1) instanceof Activation activation
                && activation.isRelu()
                && layers.get(2) instanceof Linear output
                && output.bias() == null
                && output.outputs() == 1;
    }

    /** The closed form of the class comment for a network that {@link #isTwoLayerRelu}. */
    public static DMatrixRMaj twoLayerGram(Module model, Tensor inputs) {
        if (!isTwoLayerRelu(model)) {
            throw new IllegalArgumentException(
                    "the closed-form kernel needs Linear (no bias), ReLU, Linear (no bias, one"
                            + " output), got "
                            + SignFlips.layers(model));
        }
        List<Module> layers = SignFlips.layers(model);
        Linear hidden = (Linear) layers.get(0);
        Linear output = (Linear) layers.get(2);
        int n = inputs.size(0);
        int d = hidden.inputs();
        int m = hidden.outputs();
        Tensor z;
        try (NoGrad ignored = NoGrad.enter()) {
            z = hidden.forward(inputs.viewAs(n, d));
        }
        float[] preActivation = z.data();
        float[] a = output.weight().data();
        double c1 = hidden.scale();
        double c2 = output.scale();
        double[] kernel = new double[n * n];

        if (hidden.weight().requiresGrad()) {
            float[] gates = new float[n * m];
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < m; r++) {
                    gates[i * m + r] = preActivation[i * m + r] > 0f ? Math.abs(a[r]) : 0f;
                }
            }
            float[] shared = selfProduct(gates, n, m);
            float[] dots = selfProduct(inputs.data(), n, d);
            double factor = c1 * c1 * c2 * c2;
            for (int k = 0; k < n * n; k++) {
                kernel[k] += factor * (double) dots[k] * shared[k];
            }
        }
        if (output.weight().requiresGrad()) {
            float[] features = new float[n * m];
            for (int k = 0; k < n * m; k++) {
                features[k] = Math.max(preActivation[k], 0f);
            }
            float[] products = selfProduct(features, n, m);
            for (int k = 0; k < n * n; k++) {
                kernel[k] += c2 * c2 * products[k];
            }
        }
        return symmetric(kernel, n);
    }

    /**
     * The Gram matrix J J^T from the per-example gradients of any scalar-output network: one
     * forward and backward pass per example. Needs n times the parameter count floats.
     */
    public static DMatrixRMaj gradientGram(Module model, Tensor inputs) {
        List<Tensor> parameters = model.trainableParameters();
        long count = 0;
        for (Tensor parameter : parameters) {
            count += parameter.numel();
        }
        int n = inputs.size(0);
        if (count == 0) {
            throw new IllegalArgumentException("the tangent kernel needs trainable parameters");
        }
        if (count * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "the Jacobian of "
                            + n
                            + " examples by "
                            + count
                            + " parameters exceeds 2^31 values; use fewer examples");
        }
        int p = (int) count;
        float[] jacobian = new float[n * p];
        int width = inputs.rowSize();
        int[] rowShape = inputs.shape();
        rowShape[0] = 1;
        float[] x = inputs.data();
        for (int i = 0; i < n; i++) {
            Tensor row = Tensor.wrap(Arrays.copyOfRange(x, i * width, (i + 1) * width), rowShape);
            model.zeroGrad();
            Tensor output = model.forward(row);
            if (output.numel() != 1) {
                throw new IllegalArgumentException(
                        "the tangent kernel needs a scalar-output network, got outputs of shape "
                                + Arrays.toString(output.shape()));
            }
            output.backward();
            int offset = i * p;
            for (Tensor parameter : parameters) {
                if (parameter.hasGrad()) {
                    System.arraycopy(
                            parameter.gradBuffer(), 0, jacobian, offset, parameter.numel());
                }
                offset += parameter.numel();
            }
        }
        model.zeroGrad();
        float[] products = selfProduct(jacobian, n, p);
        double[] kernel = new double[n * n];
        for (int k = 0; k < n * n; k++) {
            kernel[k] = products[k];
        }
        return symmetric(kernel, n);
    }

    /**
     * The infinite-width kernel of {@link org.sgdlab.nn.Mlp#twoLayerFixedOutput} with w_r ~ N(0,
     * I), Du et al.'s H^infinity:
     *
     * <pre>
     * H_ij = E_w[ x_i . x_j 1{w . x_i &gt; 0} 1{w . x_j &gt; 0} ]
     *      = x_i . x_j (pi - theta_ij) / (2 pi)
     * </pre>
     *
     * with theta_ij the angle between x_i and x_j. Its least eigenvalue is their lambda_0.
     */
    public static DMatrixRMaj infiniteWidthGram(Tensor inputs) {
        int n = inputs.size(0);
        int d = inputs.rowSize();
        float[] x = inputs.data();
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            norms[i] = Math.sqrt(dot(x, i, x, i, d));
        }
        DMatrixRMaj kernel = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double product = dot(x, i, x, j, d);
                double cosine = Math.max(-1, Math.min(1, product / (norms[i] * norms[j])));
                double angle = i == j ? 0 : Math.acos(cosine);
                double value = product * (Math.PI - angle) / (2 * Math.PI);
                kernel.set(i, j, value);
                kernel.set(j, i, value);
            }
        }
        return kernel;
    }

    /** The eigenvalues of a symmetric matrix, in increasing order. */
    public static double[] eigenvalues(DMatrixRMaj symmetric) {
        int n = symmetric.numRows;
        if (symmetric.numCols != n) {
            throw new IllegalArgumentException(
                    "eigenvalues need a square matrix, got "
                            + symmetric.numRows
                            + " x "
                            + symmetric.numCols);
        }
        EigenDecomposition_F64<DMatrixRMaj> decomposition =
                DecompositionFactory_DDRM.eig(n, false, true);
        if (!decomposition.decompose(symmetric.copy())) {
            throw new IllegalStateException(
                    "the symmetric eigen decomposition of a " + n + " x " + n + " matrix failed");
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = decomposition.getEigenvalue(i).getReal();
        }
        Arrays.sort(values);
        return values;
    }

    /** The least eigenvalue of a symmetric matrix. */
    public static double leastEigenvalue(DMatrixRMaj symmetric) {
        return eigenvalues(symmetric)[0];
    }

    /** ||current - initial||_F / ||initial||_F. */
    public static double relativeChange(DMatrixRMaj current, DMatrixRMaj initial) {
        if (current.numRows != initial.numRows || current.numCols != initial.numCols) {
            throw new IllegalArgumentException(
                    "kernels must have the same size, got "
                            + current.numRows
                            + " x "
                            + current.numCols
                            + " and "
                            + initial.numRows
                            + " x "
                            + initial.numCols);
        }
        double moved = 0;
        double norm = 0;
        double[] a = current.data;
        double[] b = initial.data;
        for (int k = 0; k < current.getNumElements(); k++) {
            moved += (a[k] - b[k]) * (a[k] - b[k]);
            norm += b[k] * b[k];
        }
        return Math.sqrt(moved / norm);
    }

    /** A A^T for A of shape [rows, columns], row-major. */
    private static float[] selfProduct(float[] a, int rows, int columns) {
        float[] product = new float[rows * rows];
        Gemm.multiply(false, true, rows, rows, columns, 1f, a, a, 0f, product);
        return product;
    }

    /** The n x n matrix of the values, made exactly symmetric by averaging with its transpose. */
    private static DMatrixRMaj symmetric(double[] values, int n) {
        DMatrixRMaj matrix = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double value = (values[i * n + j] + values[j * n + i]) / 2;
                matrix.set(i, j, value);
                matrix.set(j, i, value);
            }
        }
        return matrix;
    }

    private static double dot(float[] x, int i, float[] y, int j, int d) {
        double sum = 0;
        for (int k = 0; k < d; k++) {
            sum += (double) x[i * d + k] * y[j * d + k];
        }
        return sum;
    }
}
