/**
 * The experiments on real data and deeper architectures: Zhang et al.'s randomization tests on
 * Fashion-MNIST, width against test error, depth against a composed target, and memorization by an
 * MLP, a CNN, a ResNet and an RNN.
 */
package org.sgdlab.experiment.realdata;
