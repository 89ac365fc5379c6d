package io.amoskys.rules.sigma;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.rule.RuleInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The Sigma engine, free of OSGi: rule sources (a file, a bundle's rule file) come and go, each
 * change rebuilds the set of rules in force, and observations are evaluated against the set in
 * force. Thread-safe: sources change under a lock, evaluation reads an immutable set (correlations
 * lock their own state).
 */
public final class SigmaEngine {
    /** The most event ids remembered to recognise an observation seen before (a multicast's other branch). */
    private static final int RECENT_EVENTS = 16_384;

    private final SigmaCorrelation.Limits limits;
    private final Consumer<RuleRefusal> onRefusal;
    private final Map<String, Source> sources = new TreeMap<>();
    private volatile RuleSet current = RuleSet.EMPTY;
    private final FieldSlots fieldSlots = new FieldSlots();

    final LongAdder evaluations = new LongAdder();
    final LongAdder matches = new LongAdder();
    final LongAdder alerts = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder refusedTotal = new LongAdder();
    private final AtomicLong scoreSequence = new AtomicLong();
    /** An event's identity (its id is agent:sequence), without building the id's string. */
    private record EventKey(String agentId, long sequence) {}

    private final Map<EventKey, Boolean> recent = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<EventKey, Boolean> eldest) {
            return size() > RECENT_EVENTS;
        }
    };

    /** An engine with the default state limits that ignores refusals (they are listed by {@link #refusals()}). */
    public SigmaEngine() {
        this(10_000, 1_000, r -> {});
    }

    /**
     * @param maxGroups the most groups each correlation keeps (least recently matched evicted first)
     * @param maxEntriesPerGroup the most matches each group keeps (oldest dropped first)
     * @param onRefusal told of every refused rule as its source loads (for the log)
     */
    public SigmaEngine(int maxGroups, int maxEntriesPerGroup, Consumer<RuleRefusal> onRefusal) {
        if (maxGroups < 1 || maxEntriesPerGroup < 1) {
            throw new IllegalArgumentException("maxGroups and maxEntriesPerGroup must be at least 1");
        }
        this.limits = new SigmaCorrelation.Limits(maxGroups, maxEntriesPerGroup);
        this.onRefusal = onRefusal;
    }

    /** One file's rules, parsed. */
    private record Source(String key, long bundleId, SigmaParser.Parsed parsed) {}

    /**
     * Loads (or reloads) one source of rules, replacing what it gave before.
     *
     * @param key the source's identity and display name: a file path, or {@code bundle NAME [ID]: rules/x.yml}
     * @param bundleId the bundle that carries it, or -1 for a file
     * @return the refusals of this load, the source's and those its rules caused elsewhere (unresolved references)
     */
    public List<RuleRefusal> load(String key, long bundleId, String text) {
        return load(Map.of(key, text), bundleId);
    }

    /**
     * Loads (or reloads) several sources at once, as one change: references between them resolve
     * whatever their order, and no refusal is reported for a reference a later file satisfies.
     *
     * @param texts the text of each source by key
     * @return the refusals of these sources, and those their rules caused elsewhere
     */
    public List<RuleRefusal> load(Map<String, String> texts, long bundleId) {
        Map<String, SigmaParser.Parsed> parsed = new TreeMap<>();
        texts.forEach((key, text) -> parsed.put(key, SigmaParser.parse(key, text, bundleId, fieldSlots)));
        synchronized (this) {
            parsed.forEach((key, p) -> sources.put(key, new Source(key, bundleId, p)));
            return rebuild(parsed.keySet());
        }
    }

    /** Forgets one source's rules. */
    public synchronized void unload(String key) {
        if (sources.remove(key) != null) {
            rebuild(Set.of());
        }
    }

    /** Forgets every source a bundle gave. */
    public synchronized void unloadBundle(long bundleId) {
        if (sources.values().removeIf(s -> s.bundleId == bundleId)) {
            rebuild(Set.of());
        }
    }

    /** The keys of the sources loaded. */
    public synchronized List<String> sources() {
        return List.copyOf(sources.keySet());
    }

    private List<RuleRefusal> rebuild(Set<String> loaded) {
        List<RuleRefusal> refusals = new ArrayList<>();
        List<RuleDef> candidates = new ArrayList<>();
        for (Source s : sources.values()) {
            refusals.addAll(s.parsed.refusals());
            candidates.addAll(s.parsed.rules());
        }
        // Ids and names are unique: the first source (in key order) keeps one.
        Map<String, RuleDef> byRef = new HashMap<>();
        List<RuleDef> unique = new ArrayList<>();
        for (RuleDef d : candidates) {
            RuleDef clash = (d.id != null ? byRef.get(d.id) : null);
            if (clash == null && d.name != null) {
                clash = byRef.get(d.name);
            }
            if (clash == null && d.id == null && d.name == null) {
                clash = byRef.get(d.title);
            }
            if (clash != null) {
                refusals.add(new RuleRefusal(d.source, d.line, d.key(), "id or name '" + d.key() + "' is already taken by "
                        + clash.source + ":" + clash.line));
                continue;
            }
            byRef.putIfAbsent(d.key(), d);
            if (d.id != null) {
                byRef.put(d.id, d);
            }
            if (d.name != null) {
                byRef.put(d.name, d);
            }
            unique.add(d);
        }
        // Correlations resolve their references; one that refers to a missing rule, or to itself
        // through others, is refused, and so in turn are those that refer to it.
        List<RuleDef> inForce = new ArrayList<>(unique);
        boolean changed = true;
        while (changed) {
            changed = false;
            Set<RuleDef> present = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            present.addAll(inForce);
            for (RuleDef d : List.copyOf(inForce)) {
                if (!(d instanceof SigmaCorrelation c)) {
                    continue;
                }
                String problem = null;
                int line = c.line;
                List<RuleDef> resolved = new ArrayList<>();
                for (int i = 0; i < c.refs.size() && problem == null; i++) {
                    RuleDef target = byRef.get(c.refs.get(i));
                    if (target == null || !present.contains(target)) {
                        problem = "refers to rule '" + c.refs.get(i) + "', which no loaded rule has as id or name";
                        line = c.refLines.get(i);
                    } else if (target == c || reaches(target, c, byRef, new HashSet<>())) {
                        problem = "refers to rule '" + c.refs.get(i) + "', which refers back to this correlation";
                        line = c.refLines.get(i);
                    } else {
                        resolved.add(target);
                    }
                }
                if (problem != null) {
                    refusals.add(new RuleRefusal(c.source, line, c.key(), problem));
                    inForce.remove(c);
                    changed = true;
                } else {
                    c.resolved = List.copyOf(resolved);
                    c.limits(limits);
                }
            }
        }
        current = new RuleSet(inForce, refusals);
        // Reported (logged, counted) once: when the source that holds the refused rule loads.
        List<RuleRefusal> mine = refusals.stream().filter(r -> loaded.contains(r.source())).toList();
        refusedTotal.add(mine.size());
        mine.forEach(onRefusal);
        return mine;
    }

    private static boolean reaches(RuleDef from, SigmaCorrelation target, Map<String, RuleDef> byRef, Set<RuleDef> seen) {
        if (!(from instanceof SigmaCorrelation c) || !seen.add(from)) {
            return false;
        }
        for (String r : c.refs) {
            RuleDef next = byRef.get(r);
            if (next == target || (next != null && reaches(next, target, byRef, seen))) {
                return true;
            }
        }
        return false;
    }

    /** The rules in force, detection rules and correlations, in load order. */
    List<RuleDef> rules() {
        return current.all;
    }

    /** Every rule refused now, with its file, line and reason. */
    public List<RuleRefusal> refusals() {
        return current.refusals;
    }

    /** How many rules are in force. */
    public int size() {
        return current.all.size();
    }

    /** Correlation state now held: groups and matches; then evicted groups, dropped, late and suppressed matches so far. */
    long[] state() {
        long groups = 0;
        long entries = 0;
        long evicted = 0;
        long dropped = 0;
        long late = 0;
        long suppressed = 0;
        for (RuleDef d : current.all) {
            if (d instanceof SigmaCorrelation c) {
                groups += c.groups();
                entries += c.entries();
                evicted += c.evictedGroups.sum();
                dropped += c.droppedEntries.sum();
                late += c.late.sum();
                suppressed += c.suppressed.sum();
            }
        }
        return new long[] {groups, entries, evicted, dropped, late, suppressed};
    }

    /** {@code SigmaEngine[49 rules, 3 refused, state groups 120 entries 4000 evicted 0 dropped 0 late 0 suppressed 12]}. */
    @Override
    public String toString() {
        long[] s = state();
        return "SigmaEngine[" + size() + " rules, " + refusals().size() + " refused, state groups " + s[0] + " entries " + s[1]
                + " evicted " + s[2] + " dropped " + s[3] + " late " + s[4] + " suppressed " + s[5] + "]";
    }

    /** Evaluates one observation against every rule in force. */
    public List<Alert> evaluate(RuleInput input) {
        RuleSet set = current;
        evaluations.increment();
        TelemetryEvent event = input.event();
        boolean seen;
        synchronized (recent) {
            seen = recent.put(new EventKey(event.agentId(), event.sequence()), Boolean.TRUE) != null;
        }
        List<Alert> out = new ArrayList<>(0);
        long time = event.timestampNanos();
        Fields fields = new Fields(input, fieldSlots.size()); // after reading the set: its fields are numbered
        for (SigmaRule rule : set.rulesFor(event.kind())) {
            if (seen && !rule.usesScores) {
                continue; // the same event again, for another detector's score: only score rules can say more
            }
            boolean hit;
            try {
                hit = rule.matches(fields);
            } catch (RuntimeException e) {
                errors.increment();
                continue;
            }
            if (!hit) {
                continue;
            }
            rule.hits.increment();
            matches.increment();
            List<String> evidence = List.of(event.id());
            if (!set.quiet.contains(rule)) {
                out.add(alert(rule, input, evidence, Map.of(), time));
            }
            propagate(set, rule, input, time, evidence, out);
        }
        return out;
    }

    private void propagate(RuleSet set, RuleDef matched, RuleInput input, long time, List<String> evidence, List<Alert> out) {
        for (RuleSet.Use use : set.users.getOrDefault(matched, List.of())) {
            SigmaCorrelation.Firing f = use.correlation().feed(use.index(), matched, input, time, evidence);
            if (f == null) {
                continue;
            }
            use.correlation().hits.increment();
            matches.increment();
            if (!set.quiet.contains(use.correlation())) {
                out.add(alert(use.correlation(), f.last(), f.eventIds(), f.groupBy(), f.time()));
            }
            propagate(set, use.correlation(), f.last(), f.time(), f.eventIds(), out);
        }
    }

    /**
     * Evaluates a bare score (a route that gives the rule no event): an observation of kind
     * {@code score} about the score's entity, seen by rules of logsource category {@code score}
     * and rules without a category.
     */
    public List<Alert> evaluate(Score score) {
        TelemetryEvent event = TelemetryEvent.builder().agentId("score-" + score.detector())
                .sequence(scoreSequence.getAndIncrement()).kind("score").entityId(score.entityId())
                .timestampNanos(score.timestampNanos()).label("detector", score.detector())
                .label("model_version", score.modelVersion()).metric("value", score.value()).build();
        List<Alert> alerts = evaluate(RuleInput.of(event, null, List.of(score)));
        if (alerts.isEmpty() || score.eventIds().isEmpty()) {
            return alerts;
        }
        // The evidence is the scored events, not the stand-in.
        List<Alert> out = new ArrayList<>(alerts.size());
        for (Alert a : alerts) {
            List<String> ids = new ArrayList<>();
            for (String id : a.eventIds()) {
                if (id.startsWith("score-")) {
                    ids.addAll(score.eventIds());
                } else {
                    ids.add(id);
                }
            }
            out.add(Alert.builder().id(a.id()).rule(a.rule()).entityId(a.entityId()).timestampNanos(a.timestampNanos())
                    .severity(a.severity()).title(a.title()).scores(a.scores()).tags(a.tags())
                    .eventIds(ids.stream().distinct().toList()).groupBy(a.groupBy()).build());
        }
        return out;
    }

    private Alert alert(RuleDef rule, RuleInput input, List<String> evidence, Map<String, String> groupBy, long time) {
        rule.alerts.increment();
        alerts.increment();
        String entity = groupBy.getOrDefault(RuleInput.ENTITY, "");
        if (entity.isEmpty()) {
            entity = input.event().entityId();
        }
        return Alert.builder().id(UUID.randomUUID().toString()).rule(rule.key()).entityId(entity).timestampNanos(time)
                .severity(rule.level.severity).title(rule.title).scores(input.scores()).tags(rule.tags)
                .eventIds(evidence).groupBy(groupBy).build();
    }
}
