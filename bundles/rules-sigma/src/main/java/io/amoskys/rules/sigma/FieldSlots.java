package io.amoskys.rules.sigma;

import java.util.HashMap;
import java.util.Map;

/**
 * The engine's numbering of the field names its rules read: an evaluation keeps each field's
 * value at the field's number ({@link Fields}), so a rule pack that asks for {@code proto} or
 * {@code dport} rule after rule looks each up in the observation once, and finding it again is
 * an array read. Names are numbered as rules are parsed and keep their number for the engine's
 * life (a pack names a few dozen; reloads reuse them); past {@value #MOST} names, further ones get
 * no number and are read from the observation each time.
 */
final class FieldSlots {
    static final int MOST = 1024;
    /** No number: the field is read each time. */
    static final int NONE = -1;

    private final Map<String, Integer> numbers = new HashMap<>(); // guarded by this
    private volatile int size;

    /** The field's number, given at its first call; {@link #NONE} past {@value #MOST} names. */
    synchronized int slotOf(String field) {
        Integer n = numbers.get(field);
        if (n == null) {
            if (numbers.size() >= MOST) {
                return NONE;
            }
            n = numbers.size();
            numbers.put(field, n);
            size = numbers.size();
        }
        return n;
    }

    /**
     * How many names are numbered: every rule parsed before this call has its fields' numbers
     * below it (rule sets are built after their rules are parsed).
     */
    int size() {
        return size;
    }
}
