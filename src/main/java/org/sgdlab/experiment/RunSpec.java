package org.sgdlab.experiment;

import java.util.Map;

/**
 * One run of a sweep: its identifier (stable across invocations, used as the directory name and for
 * resuming), its parameters and its seed.
 */
public record RunSpec(String id, Map<String, Object> parameters, long seed) {
    public int integer(String key) {
        return ((Number) parameters.get(key)).intValue();
    }

    public double number(String key) {
        return ((Number) parameters.get(key)).doubleValue();
    }

    public String text(String key) {
        return String.valueOf(parameters.get(key));
    }
}
