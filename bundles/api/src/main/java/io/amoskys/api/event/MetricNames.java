package io.amoskys.api.event;

import java.util.Arrays;
import java.util.List;

/**
 * The metric names of a {@link TelemetryEvent}, in name order and without repeats. An agent that
 * sends the same metrics event after event makes one instance and builds every event on it
 * ({@link TelemetryEvent.Builder#metrics(MetricNames, double[])}): its events then carry a
 * {@code double[]} instead of a map, and a stage that has seen the instance before knows where
 * each metric goes without looking a name up. Immutable and thread-safe.
 *
 * @since 1.5
 */
public final class MetricNames {
    private static final MetricNames NONE = new MetricNames(new String[0]);

    private final String[] names;
    /**
     * Open addressing over the names' hash codes (cached by each String), made at the first
     * lookup: a rule pack asks an event for a few names many times, and a binary search compares
     * whole strings, which share long prefixes ({@code bytes_fwd}, {@code bytes_rev}). Holds
     * index + 1; 0 is an empty slot.
     */
    private volatile int[] slots;

    private MetricNames(String[] sortedDistinct) {
        this.names = sortedDistinct;
    }

    /**
     * The names, in any order; {@link #indexOf} tells where each one's value goes.
     *
     * @throws IllegalArgumentException when a name is null, empty or given twice
     */
    public static MetricNames of(String... names) {
        String[] sorted = names.clone();
        for (String name : sorted) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a metric name is null or empty in " + Arrays.toString(names));
            }
        }
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i].equals(sorted[i - 1])) {
                throw new IllegalArgumentException("metric name '" + sorted[i] + "' is given twice");
            }
        }
        return sorted.length == 0 ? NONE : new MetricNames(sorted);
    }

    /** Names already in order and distinct (the keys of a sorted map), taken over. */
    static MetricNames ofSorted(String[] sortedDistinct) {
        return sortedDistinct.length == 0 ? NONE : new MetricNames(sortedDistinct);
    }

    public int size() {
        return names.length;
    }

    /** The name at {@code index}, in name order. */
    public String name(int index) {
        return names[index];
    }

    /** Where {@code name}'s value is, or -1 when it is not one of these names. */
    public int indexOf(String name) {
        int[] table = slots;
        if (table == null) {
            slots = table = slots(names);
        }
        int mask = table.length - 1;
        for (int slot = spread(name.hashCode()) & mask; ; slot = (slot + 1) & mask) {
            int entry = table[slot];
            if (entry == 0) {
                return -1;
            }
            if (names[entry - 1].equals(name)) {
                return entry - 1;
            }
        }
    }

    private static int[] slots(String[] names) {
        int[] table = new int[Integer.highestOneBit(Math.max(1, names.length) * 2) * 2]; // at most half full
        int mask = table.length - 1;
        for (int i = 0; i < names.length; i++) {
            int slot = spread(names[i].hashCode()) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = i + 1;
        }
        return table;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    /** The names in order. */
    public List<String> asList() {
        return List.of(names);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof MetricNames other && Arrays.equals(names, other.names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names);
    }

    @Override
    public String toString() {
        return Arrays.toString(names);
    }
}
