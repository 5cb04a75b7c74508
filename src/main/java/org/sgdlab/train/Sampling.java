package org.sgdlab.train;

/** How the examples of a step are chosen. */
public enum Sampling {
    /** Each epoch visits every example once, in a fresh random order, in batches. */
    SHUFFLE,
    /** Each step draws its examples uniformly with replacement: the SGD of the theory. */
    REPLACEMENT
}
