/**
 * Dense float32 tensors, seeded random streams and the matrix-product kernels.
 *
 * <p>A {@link org.sgdlab.tensor.Tensor} is a row-major array with a shape. It also carries the
 * bookkeeping of reverse-mode differentiation (its gradient buffer and the function that produced
 * it), so that {@code loss.backward()} reads as users expect; the differentiable operations
 * themselves live in {@code org.sgdlab.autograd}. Matrix products of real size go to OpenBLAS, tiny
 * ones stay in Java ({@link org.sgdlab.tensor.Gemm}); convolutions with few values per patch run as
 * {@link org.sgdlab.tensor.DirectConvolution}, straight from the images.
 */
package org.sgdlab.tensor;
