package io.amoskys.rules.sigma;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules in force, indexed for evaluation: detection rules by event kind, and who correlates whom. Immutable. */
final class RuleSet {
    static final RuleSet EMPTY = new RuleSet(List.of(), List.of());

    /** A correlation that refers to a rule, and at which position. */
    record Use(SigmaCorrelation correlation, int index) {}

    final List<RuleDef> all;
    final List<RuleRefusal> refusals;
    private final List<SigmaRule> anyKind;
    private final Map<String, List<SigmaRule>> byKind;
    final Map<RuleDef, List<Use>> users;
    /** Rules whose own matches raise no alert: every correlation that refers to them says generate: false. */
    final Set<RuleDef> quiet;

    RuleSet(List<RuleDef> rules, List<RuleRefusal> refusals) {
        this.all = List.copyOf(rules);
        this.refusals = List.copyOf(refusals);
        List<SigmaRule> any = new ArrayList<>();
        Map<String, List<SigmaRule>> kinds = new HashMap<>();
        Map<RuleDef, List<Use>> uses = new IdentityHashMap<>();
        for (RuleDef d : all) {
            if (d instanceof SigmaRule r) {
                if (r.kinds.isEmpty()) {
                    any.add(r);
                } else {
                    r.kinds.forEach(k -> kinds.computeIfAbsent(k, x -> new ArrayList<>()).add(r));
                }
            } else if (d instanceof SigmaCorrelation c) {
                for (int i = 0; i < c.resolved.size(); i++) {
                    uses.computeIfAbsent(c.resolved.get(i), x -> new ArrayList<>()).add(new Use(c, i));
                }
            }
        }
        Map<String, List<SigmaRule>> merged = new HashMap<>();
        kinds.forEach((k, list) -> {
            List<SigmaRule> l = new ArrayList<>(list);
            l.addAll(any);
            merged.put(k, List.copyOf(l));
        });
        this.anyKind = List.copyOf(any);
        this.byKind = Map.copyOf(merged);
        Set<RuleDef> q = Collections.newSetFromMap(new IdentityHashMap<>());
        uses.forEach((rule, list) -> {
            if (list.stream().noneMatch(u -> u.correlation().generate)) {
                q.add(rule);
            }
        });
        this.users = Collections.unmodifiableMap(uses);
        this.quiet = Collections.unmodifiableSet(q);
    }

    List<SigmaRule> rulesFor(String kind) {
        return byKind.getOrDefault(kind, anyKind);
    }
}
