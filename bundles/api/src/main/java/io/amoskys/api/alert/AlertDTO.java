package io.amoskys.api.alert;

import java.util.List;
import java.util.Map;

/**
 * One stored alert. {@link AlertStore#list} fills the summary; {@link AlertStore#get} also the
 * evidence ({@link #eventIds}, {@link #scores}), the {@link #explanation} and the {@link #history},
 * which are null in lists.
 */
public class AlertDTO {
    /** The alert's id (the id of the first alert the rule raised for it). */
    public String id;
    public String rule;
    public String entity;
    /** {@code INFO}, {@code LOW}, {@code MEDIUM}, {@code HIGH} or {@code CRITICAL}: the highest of the alerts counted into it. */
    public String severity;
    public String title;
    /** {@link AlertState#label()}: {@code new}, {@code acknowledged}, {@code resolved}, {@code false_positive}. */
    public String state;
    /** How many alerts the rule raised for it: 1, plus one per alert grouped into it. */
    public long count;
    /** Event time of the earliest and latest alert counted into it, epoch nanoseconds. */
    public long firstSeenNanos;
    public long lastSeenNanos;
    /** When it was stored, last counted, and last changed state: epoch milliseconds of the platform's clock. */
    public long createdMillis;
    public long lastAdmittedMillis;
    public long stateChangedMillis;
    /** The rule's tags (MITRE ATT&CK techniques and tactics), of every alert counted into it. */
    public List<String> tags;
    /** What the rule grouped its matches by (field to value), from the first alert. */
    public Map<String, String> groupBy;
    /** {@code detector@version} of every model whose score is in its evidence. */
    public List<String> modelVersions;
    /** Event ids kept as evidence. */
    public long eventIdsKept;
    /** Event ids not kept because the alert already held as many as the store keeps. */
    public long eventIdsDropped;

    /** The evidence events ({@code agent:sequence}), the first ones, in the order they came; null in lists. */
    public List<String> eventIds;
    /** The scores in its evidence, the first ones; null in lists. */
    public List<AlertScoreDTO> scores;
    /** Scores not kept because the alert already held as many as the store keeps. */
    public long scoresDropped;
    /**
     * What drove it, in words: the first alert's explanation, from its scores (detector, model
     * version, value, and the contributions that weighed most); null when it had no scores, and
     * in lists.
     */
    public String explanation;
    /** Its lifecycle changes, oldest first; null in lists. */
    public List<AlertHistoryDTO> history;
}
