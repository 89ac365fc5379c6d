package io.amoskys.api.alert;

import java.util.Objects;

/** What {@link AlertStore#admit} did with an alert. Immutable. */
public final class Admission {
    /** The three ways an alert is admitted. */
    public enum Outcome {
        /** Stored as a new alert; goes on to the responders. */
        NEW,
        /** Counted into an open alert of the same rule and entity; does not go on. */
        GROUPED,
        /** Matched an active suppression; counted, not stored; does not go on. */
        SUPPRESSED
    }

    private final Outcome outcome;
    private final String alertId;
    private final String suppressionId;
    private final boolean escalated;

    private Admission(Outcome outcome, String alertId, String suppressionId, boolean escalated) {
        this.outcome = outcome;
        this.alertId = alertId;
        this.suppressionId = suppressionId;
        this.escalated = escalated;
    }

    /** Stored as alert {@code alertId}. */
    public static Admission created(String alertId) {
        return new Admission(Outcome.NEW, Objects.requireNonNull(alertId, "alertId"), null, false);
    }

    /**
     * Counted into open alert {@code alertId}; {@code escalated} when it raised that alert's
     * severity.
     */
    public static Admission grouped(String alertId, boolean escalated) {
        return new Admission(Outcome.GROUPED, Objects.requireNonNull(alertId, "alertId"), null, escalated);
    }

    /** Counted against suppression {@code suppressionId}. */
    public static Admission suppressed(String suppressionId) {
        return new Admission(Outcome.SUPPRESSED, null, Objects.requireNonNull(suppressionId, "suppressionId"), false);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Whether the alert goes on to the responders: only a {@link Outcome#NEW} one does. */
    public boolean passesOn() {
        return outcome == Outcome.NEW;
    }

    /** The stored alert it became or was counted into; null when suppressed. */
    public String alertId() {
        return alertId;
    }

    /** The suppression that matched; null unless suppressed. */
    public String suppressionId() {
        return suppressionId;
    }

    /** Grouped into an open alert whose severity it raised (the stored alert now has the higher one). */
    public boolean escalated() {
        return escalated;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Admission a && a.outcome == outcome && Objects.equals(a.alertId, alertId)
                && Objects.equals(a.suppressionId, suppressionId) && a.escalated == escalated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(outcome, alertId, suppressionId, escalated);
    }

    @Override
    public String toString() {
        return switch (outcome) {
            case NEW -> "NEW " + alertId;
            case GROUPED -> "GROUPED into " + alertId + (escalated ? " (escalated)" : "");
            case SUPPRESSED -> "SUPPRESSED by " + suppressionId;
        };
    }
}
