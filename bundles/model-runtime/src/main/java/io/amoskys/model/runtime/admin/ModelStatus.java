package io.amoskys.model.runtime.admin;

/**
 * One model version as {@code amoskys:models} lists it.
 *
 * @param state active, shadow, standby or refused
 * @param reason the refusal's code (refused only), else {@code null}
 * @param detail what the refusal was about, else empty
 * @param threshold the descriptor's calibrated score from which the verdict is "anomalous" (NaN when refused)
 */
public record ModelStatus(String name, String version, String state, String reason, String detail, double threshold,
        long rows, long errors, double meanCallMicros, long bundleId) {
}
