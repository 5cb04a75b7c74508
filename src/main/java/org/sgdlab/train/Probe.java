package org.sgdlab.train;

import java.util.Map;
import org.sgdlab.nn.Module;

/**
 * A measurement of the model taken at every logged step, adding columns to the metrics: sign flips,
 * weight distance, kernel change. Implementations live in {@code org.sgdlab.probe}.
 */
@FunctionalInterface
public interface Probe {
    /** The named measurements of the model now. */
    Map<String, Double> measure(Module model);
}
