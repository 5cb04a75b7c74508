package org.sgdlab.experiment;

import java.util.Locale;

/** The scale of an experiment: quick (minutes on two cores) or full (the documented hours). */
public enum Profile {
    QUICK,
    FULL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Profile parse(String text) {
        for (Profile profile : values()) {
            if (profile.label().equals(text.toLowerCase(Locale.ROOT))) {
                return profile;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + text + "'; allowed: quick, full");
    }
}
