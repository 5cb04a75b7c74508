package org.sgdlab.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The verdict on one claim, computed from the measurements. In {@code verdict.json} its fields are
 * {@code claim}, {@code statistic}, {@code value}, {@code ci_low}, {@code ci_high}, {@code holds}
 * and {@code criterion}.
 *
 * @param claim the claim in words
 * @param statistic what was computed, in words (for example "log-log slope of distance on width")
 * @param value the statistic's value
 * @param ciLow the lower end of its confidence interval
 * @param ciHigh the upper end
 * @param holds whether the claim holds by the stated criterion
 * @param criterion the rule that decided, in words (for example "upper end below 0")
 */
public record Verdict(
        String claim,
        String statistic,
        double value,
        @JsonProperty("ci_low") double ciLow,
        @JsonProperty("ci_high") double ciHigh,
        boolean holds,
        String criterion) {}
