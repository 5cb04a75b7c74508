package org.sgdlab.train;

import org.sgdlab.tensor.Tensor;

/** A minibatch: inputs x and targets y of the same examples. */
public record Batch(Tensor x, Tensor y) {}
