package io.amoskys.api.alert;

/** One lifecycle change of an alert: the audit trail. */
public class AlertHistoryDTO {
    /** When, epoch milliseconds. */
    public long atMillis;
    /** Who: the shell or REST user. */
    public String user;
    /** {@link AlertState#label()} before and after. */
    public String fromState;
    public String toState;
    /** Why, in the user's words; null if none given. */
    public String comment;
    /** The suppression this change created (false positive with suppression); null if none. */
    public String suppressionId;
}
