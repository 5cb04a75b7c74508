package org.sgdlab.data;

/** A training set and a test set drawn from the same distribution. The test set may be empty. */
public record Split(Dataset train, Dataset test) {}
