/**
 * The noisy-computation experiments: SGD with a large learning rate and then decay against a small
 * learning rate, on the two-signal set of Li, Wei and Ma and on Fashion-MNIST with a memorizable
 * patch, with pre-activation noise as a third arm and, on the two-signal set, isotropic noise on
 * the updates as a fifth, and the sweep over rates and decay points.
 */
package org.sgdlab.experiment.noisy;
