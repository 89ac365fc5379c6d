package io.amoskys.rules.sigma;

import io.amoskys.api.rule.RuleInput;
import java.util.HashMap;
import java.util.Map;

/**
 * One observation's fields as the rules of one evaluation read them: each field is looked up in
 * the observation once ({@link RuleInput#field}, a search among labels, metrics and features) and
 * kept, since a rule pack asks for the same few fields ({@code kind}, {@code dport},
 * {@code proto}, ...) rule after rule. For one evaluation on one thread.
 */
final class Fields {
    private static final Object ABSENT = new Object();

    private final RuleInput input;
    private Map<String, Object> seen; // made at the first lookup

    Fields(RuleInput input) {
        this.input = input;
    }

    RuleInput input() {
        return input;
    }

    /** @return as {@link RuleInput#field}: the value, or null when absent */
    Object get(String name) {
        if (seen == null) {
            seen = new HashMap<>();
        }
        Object value = seen.get(name);
        if (value == null) {
            value = input.field(name);
            seen.put(name, value == null ? ABSENT : value);
            return value;
        }
        return value == ABSENT ? null : value;
    }
}
