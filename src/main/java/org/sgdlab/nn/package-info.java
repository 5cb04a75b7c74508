/**
 * Networks: {@link org.sgdlab.nn.Module} and its layers, initialization schemes and losses.
 *
 * <p>Layers follow the conventions of the over-parameterization literature where PyTorch's differ,
 * and say so: a {@link org.sgdlab.nn.Linear} weight is stored input-major ([in, out]), biases start
 * at zero, and the NTK parameterization puts the 1/sqrt(fan-in) factor in the forward pass.
 *
 * <p>Images are batches in NCHW layout ([n, c, h, w]) and sequences are batch-major ([n, T, d]). A
 * {@link org.sgdlab.nn.Conv2d} weight keeps PyTorch's layout ([out, in, k, k]), and {@link
 * org.sgdlab.nn.BatchNorm} PyTorch's names and momentum convention. {@link org.sgdlab.nn.Cnn} and
 * {@link org.sgdlab.nn.ResNet} build the convolutional networks of the experiments, {@link
 * org.sgdlab.nn.ReluRnn} the recurrent one. {@link org.sgdlab.nn.PreactivationNoise} injects
 * scheduled Gaussian noise before a ReLU, in training mode only.
 */
package org.sgdlab.nn;
