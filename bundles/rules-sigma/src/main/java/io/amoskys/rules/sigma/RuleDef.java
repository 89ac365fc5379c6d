package io.amoskys.rules.sigma;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** What detection rules and correlation rules share: identity, metadata, origin and hit counts. */
abstract class RuleDef {
    final String id;
    final String name;
    final String title;
    final String status;
    final Level level;
    final List<String> tags;
    final String source;
    final int line;
    final long bundleId;
    /** Observations (rules) or correlations (correlations) that matched. */
    final LongAdder hits = new LongAdder();
    /** Alerts raised. */
    final LongAdder alerts = new LongAdder();

    RuleDef(String id, String name, String title, String status, Level level, List<String> tags, String source, int line,
            long bundleId) {
        this.id = id;
        this.name = name;
        this.title = title;
        this.status = status;
        this.level = level;
        this.tags = List.copyOf(tags);
        this.source = source;
        this.line = line;
        this.bundleId = bundleId;
    }

    /** The key rules are referred to and reported by: the id, else the name, else the title. */
    String key() {
        return id != null ? id : name != null ? name : title;
    }

    boolean answersTo(String reference) {
        return reference.equals(id) || reference.equals(name);
    }

    abstract String type();
}
