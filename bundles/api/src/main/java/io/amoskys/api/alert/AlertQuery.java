package io.amoskys.api.alert;

import java.util.ArrayList;
import java.util.List;

/** Which alerts {@link AlertStore#list} and {@link AlertStore#count} return; every filter is optional. */
public class AlertQuery {
    /** Only alerts in these states ({@link AlertState#label()}); empty: every state. */
    public List<String> states = new ArrayList<>();
    /** Only alerts of this severity or higher ({@code INFO} ... {@code CRITICAL}); null: any. */
    public String minSeverity;
    /** Only alerts of this rule; {@code *} and {@code ?} match like a shell pattern. Null: any. */
    public String rule;
    /** Only alerts on this entity; {@code *} and {@code ?} match like a shell pattern. Null: any. */
    public String entity;
    /** Only alerts whose id starts with this (a shell user may type the first characters). Null: any. */
    public String idPrefix;
    /** Only alerts carrying this tag (exactly, such as {@code attack.t1046}). Null: any. */
    public String tag;
    /** Only alerts admitted (first or again) at or after this time, epoch milliseconds; 0: any. */
    public long sinceMillis;
    /** At most this many alerts (1 to 10,000). */
    public int limit = 100;
    /** Skip this many first (for pages). */
    public int offset;
}
