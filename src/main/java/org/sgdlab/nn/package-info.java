/**
 * Networks: {@link org.sgdlab.nn.Module} and its layers, initialization schemes and losses.
 *
 * <p>Layers follow the conventions of the over-parameterization literature where PyTorch's differ,
 * and say so: a {@link org.sgdlab.nn.Linear} weight is stored input-major ([in, out]), biases start
 * at zero, and the NTK parameterization puts the 1/sqrt(fan-in) factor in the forward pass.
 */
package org.sgdlab.nn;
