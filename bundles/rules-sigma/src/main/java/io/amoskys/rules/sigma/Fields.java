package io.amoskys.rules.sigma;

import io.amoskys.api.rule.RuleInput;

/**
 * One observation's fields as the rules of one evaluation read them: each field is looked up in
 * the observation once ({@link RuleInput#field(RuleInput.Field)}, a search among labels, metrics
 * and features) and kept at its number ({@link FieldSlots}), since a rule pack asks for the same
 * few fields ({@code kind}, {@code dport}, {@code proto}, ...) rule after rule. For one
 * evaluation on one thread.
 */
final class Fields {
    private static final Object ABSENT = new Object();

    private final RuleInput input;
    private final int slots;
    private Object[] values; // made at the first lookup: the value, ABSENT, or null when not read yet

    /** @param slots how many fields the engine has numbered ({@link FieldSlots#size()}) */
    Fields(RuleInput input, int slots) {
        this.input = input;
        this.slots = slots;
    }

    RuleInput input() {
        return input;
    }

    /** @return as {@link RuleInput#field}: the value, or null when absent */
    Object get(RuleInput.Field field, int slot) {
        if (slot < 0 || slot >= slots) {
            return input.field(field); // a field numbered after this evaluation began, or none
        }
        if (values == null) {
            values = new Object[slots];
        }
        Object value = values[slot];
        if (value == null) {
            value = input.field(field);
            values[slot] = value == null ? ABSENT : value;
            return value;
        }
        return value == ABSENT ? null : value;
    }
}
