/**
 * Optimization: {@link org.sgdlab.optim.Sgd} with PyTorch's momentum form, and schedules counted in
 * optimizer steps for the learning rate and for injected noise.
 */
package org.sgdlab.optim;
