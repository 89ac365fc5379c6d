package io.amoskys.alerts.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The suppressions in force, as one immutable snapshot that {@code admit} reads without locks:
 * exact ones by rule and entity, patterns in a list. Expiry is checked at each match, so an
 * expired suppression stops applying at once, with no thread watching the clock.
 */
final class ActiveSuppressions {
    static final ActiveSuppressions NONE = new ActiveSuppressions(List.of());

    private final List<Suppression> all;
    private final Map<String, List<Suppression>> exact = new HashMap<>();
    private final List<Suppression> patterns = new ArrayList<>();

    ActiveSuppressions(List<Suppression> suppressions) {
        this.all = List.copyOf(suppressions);
        for (Suppression s : all) {
            if (s.exact()) {
                exact.computeIfAbsent(OpenAlert.key(s.ruleLiteral, s.entityLiteral), k -> new ArrayList<>(1)).add(s);
            } else {
                patterns.add(s);
            }
        }
    }

    /** The first suppression in force at {@code nowMs} that matches; null if none. */
    Suppression match(String rule, String entity, long nowMs) {
        if (all.isEmpty()) {
            return null;
        }
        List<Suppression> candidates = exact.get(OpenAlert.key(rule, entity));
        if (candidates != null) {
            for (Suppression s : candidates) {
                if (s.activeAt(nowMs)) {
                    return s;
                }
            }
        }
        for (Suppression s : patterns) {
            if (s.activeAt(nowMs) && s.matches(rule, entity)) {
                return s;
            }
        }
        return null;
    }

    List<Suppression> all() {
        return all;
    }

    int activeAt(long nowMs) {
        int n = 0;
        for (Suppression s : all) {
            if (s.activeAt(nowMs)) {
                n++;
            }
        }
        return n;
    }
}
