package io.amoskys.api.alert;

/**
 * A suppression: alerts of {@link #rule} on {@link #entity} are counted against it instead of
 * being stored, from its creation until it expires or is removed.
 */
public class SuppressionDTO {
    public String id;
    /** The rule it applies to, or a pattern ({@code *} for every rule, {@code ?} one character). */
    public String rule;
    /** The entity it applies to, or a pattern ({@code 10.0.0.*}; {@code *} every entity). */
    public String entity;
    /** Why, in the creator's words. */
    public String reason;
    public String createdBy;
    /** Epoch milliseconds. */
    public long createdMillis;
    /** When it stops applying, epoch milliseconds; 0 never. */
    public long expiresMillis;
    /** {@code active}, {@code expired} or {@code removed}. */
    public String state;
    /** Alerts suppressed by it, and the last time one was, epoch milliseconds (0 never). */
    public long hits;
    public long lastHitMillis;
    /** The alert marked a false positive that created it; null if made directly. */
    public String alertId;
    /** Who removed it and when (epoch milliseconds); null and 0 while not removed. */
    public String removedBy;
    public long removedMillis;
}
