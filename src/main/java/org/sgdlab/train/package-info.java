/**
 * The training loop: batches, the {@code zeroGrad(); loss.backward(); step();} loop with its
 * events, metrics, divergence detection, and the files a run writes.
 */
package org.sgdlab.train;
