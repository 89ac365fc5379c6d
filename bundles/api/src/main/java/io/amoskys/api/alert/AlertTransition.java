package io.amoskys.api.alert;

/** A lifecycle change asked of {@link AlertStore#transition}. */
public class AlertTransition {
    /** The alert. */
    public String alertId;
    /** Where to: {@link AlertState#label()} ({@code acknowledged}, {@code resolved}, {@code false_positive}). */
    public String state;
    /** Who asks (recorded). */
    public String user;
    /** Why (recorded); optional. */
    public String comment;
    /**
     * With {@code false_positive}: also suppress further alerts of the alert's rule on its entity
     * (recorded with the change).
     */
    public boolean suppress;
    /** With {@link #suppress}: the suppression expires this many milliseconds from now; 0 never. */
    public long suppressForMillis;
}
