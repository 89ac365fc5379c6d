package io.amoskys.rules.sigma;

import io.amoskys.api.rule.RuleInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Sigma correlation rule: the matches of the rules it refers to, grouped by the values of
 * {@code group-by} fields, counted over {@code timespan} in event time.
 *
 * <p>State is bounded: at most {@link Limits#maxGroups()} groups (the least recently matched is
 * evicted first) of at most {@link Limits#maxEntriesPerGroup()} matches each (the oldest go
 * first). Events may arrive late or out of order: a match is put in time order, and one older than
 * the group's newest match minus the timespan can no longer share a window with it and is dropped
 * (counted as late). Conditions are checked on the widest windows of length {@code timespan} that
 * hold the new match. A group that fires forgets the matches it fired on and stays quiet for one
 * timespan after the match that completed it, so a burst makes at most one alert per timespan
 * rather than one per threshold's worth of events. Matches in the quiet time are kept (counted as
 * suppressed) and can complete the group's first firing after it, when a match then comes within a
 * timespan of them: otherwise a few decoys that make a group without group-by fire (three scans for
 * "the same attack from three devices") would hide the real ones that follow.
 */
final class SigmaCorrelation extends RuleDef {
    enum Type {
        EVENT_COUNT("event_count"),
        VALUE_COUNT("value_count"),
        TEMPORAL("temporal"),
        TEMPORAL_ORDERED("temporal_ordered");

        final String word;

        Type(String word) {
            this.word = word;
        }

        static Type of(String word) {
            for (Type t : values()) {
                if (t.word.equals(word)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** How much state a correlation may keep. */
    record Limits(int maxGroups, int maxEntriesPerGroup) {
        static final Limits DEFAULT = new Limits(10_000, 1_000);
    }

    /** What a correlation found: the group's values, the evidence and the observation that completed it. */
    record Firing(SigmaCorrelation correlation, Map<String, String> groupBy, List<String> eventIds, RuleInput last, long time) {}

    final Type kind;
    final List<String> refs;
    final List<Integer> refLines;
    final List<String> groupBy;
    final Map<String, Map<String, String>> aliases;
    final long timespanNanos;
    final Map<String, Double> condition;
    final String valueField;
    final boolean generate;

    /** The rules {@link #refs} resolved to, in the same order; set when a rule set is built. */
    volatile List<RuleDef> resolved = List.of();

    final LongAdder late = new LongAdder();
    final LongAdder suppressed = new LongAdder();
    final LongAdder evictedGroups = new LongAdder();
    final LongAdder droppedEntries = new LongAdder();
    private Limits limits = Limits.DEFAULT;
    private final LinkedHashMap<List<String>, Group> groups = new LinkedHashMap<>(64, 0.75f, true);
    /** Per referred rule, the fields its matches are read by ({@link #fieldsOf}). */
    private final FieldsOf[] fieldsByRef;

    SigmaCorrelation(String id, String name, String title, String status, Level level, List<String> tags, String source,
            int line, long bundleId, Type kind, List<String> refs, List<Integer> refLines, List<String> groupBy,
            Map<String, Map<String, String>> aliases, long timespanNanos, Map<String, Double> condition, String valueField,
            boolean generate) {
        super(id, name, title, status, level, tags, source, line, bundleId);
        this.kind = kind;
        this.refs = List.copyOf(refs);
        this.refLines = List.copyOf(refLines);
        this.groupBy = List.copyOf(groupBy);
        this.aliases = Map.copyOf(aliases);
        this.timespanNanos = timespanNanos;
        this.condition = Map.copyOf(condition);
        this.valueField = valueField;
        this.generate = generate;
        this.fieldsByRef = new FieldsOf[this.refs.size()];
    }

    @Override
    String type() {
        return kind.word;
    }

    synchronized void limits(Limits limits) {
        this.limits = limits;
    }

    synchronized int groups() {
        return groups.size();
    }

    synchronized long entries() {
        long n = 0;
        for (Group g : groups.values()) {
            n += g.entries.size();
        }
        return n;
    }

    /**
     * Takes one match of the referred rule at {@code refIndex}.
     *
     * @return the firing when the match completes the correlation for its group, else null
     */
    Firing feed(int refIndex, RuleDef matched, RuleInput input, long time, List<String> eventIds) {
        FieldsOf fields = fieldsOf(refIndex, matched);
        String value = null;
        if (kind == Type.VALUE_COUNT) {
            Object v = input.field(fields.value);
            if (v == null) {
                return null; // nothing to count
            }
            value = text(v);
        }
        String[] values = new String[fields.groupBy.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = text(input.field(fields.groupBy[i]));
        }
        List<String> key = List.of(values);
        synchronized (this) {
            Group group = groups.get(key);
            if (group == null) {
                group = new Group(refs.size());
                groups.put(key, group);
                while (groups.size() > limits.maxGroups()) {
                    var eldest = groups.entrySet().iterator();
                    eldest.next();
                    eldest.remove();
                    evictedGroups.increment();
                }
            }
            if (group.newest != Long.MIN_VALUE && time < group.newest - timespanNanos) {
                late.increment();
                return null;
            }
            Entry entry = new Entry(time, refIndex, value, eventIds);
            group.insert(entry);
            if (group.entries.size() > limits.maxEntriesPerGroup()) {
                Entry dropped = group.removeOldest();
                droppedEntries.increment();
                if (dropped == entry) {
                    return null; // older than every match of a full group: it completes nothing new
                }
            }
            group.prune(timespanNanos);
            if (time <= group.quietUntil) {
                suppressed.increment(); // kept for the group's next firing
                return null;
            }
            if (!satisfied(group)) {
                return null;
            }
            Set<String> evidence = new LinkedHashSet<>();
            for (int i = 0; i < group.entries.size() && evidence.size() < 1000; i++) {
                evidence.addAll(group.entries.get(i).eventIds);
            }
            group.clear(); // forgets what it fired on, quiet for a timespan: at most one alert per timespan
            group.quietUntil = time + timespanNanos;
            return new Firing(this, groupByMap(key), List.copyOf(evidence), input, time);
        }
    }

    /** The group-by fields and the value field as read for matches of one referred rule (aliases applied). */
    private record FieldsOf(RuleDef rule, RuleInput.Field[] groupBy, RuleInput.Field value) {}

    /**
     * The fields read for a match of the referred rule at {@code refIndex}, resolved at its first
     * match (and again if a reload put another rule there), not at every match.
     */
    private FieldsOf fieldsOf(int refIndex, RuleDef matched) {
        FieldsOf[] known = fieldsByRef;
        FieldsOf f = known[refIndex];
        if (f == null || f.rule != matched) {
            RuleInput.Field[] groupByFields = new RuleInput.Field[groupBy.size()];
            for (int i = 0; i < groupByFields.length; i++) {
                groupByFields[i] = RuleInput.Field.of(fieldFor(groupBy.get(i), matched));
            }
            f = new FieldsOf(matched, groupByFields, valueField == null ? null : RuleInput.Field.of(fieldFor(valueField, matched)));
            known[refIndex] = f; // a race only resolves the same fields twice
        }
        return f;
    }

    /** The group's values by group-by field, in the rule's order. */
    private Map<String, String> groupByMap(List<String> key) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < groupBy.size(); i++) {
            values.put(groupBy.get(i), key.get(i));
        }
        return Collections.unmodifiableMap(values);
    }

    /** The field a group-by or value field names for a match of {@code matched}: its alias for that rule, if any. */
    private String fieldFor(String field, RuleDef matched) {
        Map<String, String> perRule = aliases.get(field);
        if (perRule == null) {
            return field;
        }
        String f = matched.id == null ? null : perRule.get(matched.id);
        if (f == null && matched.name != null) {
            f = perRule.get(matched.name);
        }
        return f == null ? field : f;
    }

    private static String text(Object value) {
        return value == null ? "" : Values.text(value);
    }

    /**
     * Whether the group, just given a new match and pruned, satisfies the condition. Pruning
     * leaves only matches within a timespan of the group's newest, and the new match is no newer,
     * so the widest window of length timespan that holds it is the whole group: its running counts
     * answer without a pass over up to {@link Limits#maxEntriesPerGroup()} matches per event.
     */
    private boolean satisfied(Group group) {
        return kind == Type.TEMPORAL_ORDERED
                ? inOrder(group.entries, 0, group.entries.size() - 1)
                : holdsFor(group.counts, group.entries.size());
    }

    /** Whether matches with these counts, {@code size} of them, satisfy the condition (not for temporal_ordered). */
    private boolean holdsFor(Counts counts, int size) {
        return switch (kind) {
            case EVENT_COUNT -> holds(size);
            case VALUE_COUNT -> holds(counts.values.size());
            case TEMPORAL -> condition.isEmpty() ? counts.distinctRefs == refs.size() : holds(counts.distinctRefs);
            case TEMPORAL_ORDERED -> throw new IllegalStateException("order needs a pass over the window");
        };
    }

    /** Whether the referred rules matched in their order within entries [from, to]. */
    private boolean inOrder(List<Entry> entries, int from, int to) {
        int expected = 0;
        for (int i = from; i <= to && expected < refs.size(); i++) {
            if (entries.get(i).ref == expected) {
                expected++;
            }
        }
        return expected == refs.size();
    }

    private boolean holds(double n) {
        for (Map.Entry<String, Double> c : condition.entrySet()) {
            double v = c.getValue();
            boolean ok = switch (c.getKey()) {
                case "gt" -> n > v;
                case "gte" -> n >= v;
                case "lt" -> n < v;
                case "lte" -> n <= v;
                default -> n == v; // eq
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private record Entry(long time, int ref, String value, List<String> eventIds) {}

    /** Of some matches: how many carry each value (value_count), how many matched each referred rule (temporal). */
    private static final class Counts {
        final Map<String, Integer> values = new HashMap<>();
        final int[] refs;
        int distinctRefs;

        Counts(int refs) {
            this.refs = new int[refs];
        }

        void add(Entry e) {
            if (e.value != null) {
                values.merge(e.value, 1, Integer::sum);
            }
            if (refs[e.ref]++ == 0) {
                distinctRefs++;
            }
        }

        void remove(Entry e) {
            if (e.value != null) {
                values.computeIfPresent(e.value, (v, n) -> n == 1 ? null : n - 1);
            }
            if (--refs[e.ref] == 0) {
                distinctRefs--;
            }
        }

        void clear() {
            values.clear();
            Arrays.fill(refs, 0);
            distinctRefs = 0;
        }
    }

    /** One group's matches in time order, with running counts of them all. */
    private static final class Group {
        final ArrayList<Entry> entries = new ArrayList<>();
        final Counts counts;
        long newest = Long.MIN_VALUE;
        long quietUntil = Long.MIN_VALUE;

        Group(int refs) {
            counts = new Counts(refs);
        }

        void insert(Entry e) {
            int i = entries.size();
            while (i > 0 && entries.get(i - 1).time > e.time) {
                i--;
            }
            entries.add(i, e);
            newest = Math.max(newest, e.time);
            counts.add(e);
        }

        Entry removeOldest() {
            Entry oldest = entries.remove(0);
            counts.remove(oldest);
            return oldest;
        }

        void prune(long span) {
            long horizon = newest - span;
            int drop = 0;
            while (drop < entries.size() && entries.get(drop).time < horizon) {
                counts.remove(entries.get(drop));
                drop++;
            }
            if (drop > 0) {
                entries.subList(0, drop).clear();
            }
        }

        void clear() {
            entries.clear();
            counts.clear();
        }
    }
}
