/**
 * Measurements of a network against its own initialization, the quantities of the
 * over-parameterization analyses: the share of ReLU sign patterns that changed ({@link
 * org.sgdlab.probe.SignFlips}), how far the weights moved ({@link
 * org.sgdlab.probe.WeightDistance}), and the empirical neural tangent kernel with its least
 * eigenvalue ({@link org.sgdlab.probe.TangentKernel}).
 *
 * <p>Each is a {@link org.sgdlab.train.Probe} that the trainer measures at every logged step, and
 * offers its computation as plain static methods too. A probe is built while the model still holds
 * its initial weights and keeps what it needs of them.
 */
package org.sgdlab.probe;
