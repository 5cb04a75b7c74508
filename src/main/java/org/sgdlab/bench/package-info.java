/**
 * Performance benchmarks, run by {@code sgdlab bench}. Each returns its measurements as rows; every
 * ratio compares two timings taken in the same run on the same machine.
 */
package org.sgdlab.bench;
