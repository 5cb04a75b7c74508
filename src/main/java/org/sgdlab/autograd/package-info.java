/**
 * Reverse-mode differentiation: the differentiable operations on tensors, the no-grad scope, and a
 * finite-difference gradient checker.
 *
 * <p>Each operation computes its output, then records how to pass the output's gradient back to its
 * inputs; {@code loss.backward()} replays those records in reverse topological order. Inputs that
 * do not require a gradient receive none, and inside a {@link org.sgdlab.autograd.NoGrad} scope no
 * record is kept at all.
 */
package org.sgdlab.autograd;
