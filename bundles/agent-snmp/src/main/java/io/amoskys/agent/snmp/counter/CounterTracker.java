package io.amoskys.agent.snmp.counter;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One device's counter history: the previous reading of every counter, for rates between polls.
 *
 * <p>Counter32 values wrap at 2^32: a smaller value than before is taken as one wrap (RFC 2578
 * §7.1.6; a poll interval must be short enough for a counter not to wrap twice). Counter64 values
 * do not wrap in practice, so a smaller value means the counter was reset and gives no rate.
 * Readings not refreshed by the last poll are dropped by {@link #sweep()}, which keeps the history
 * as large as the device's current set of counters. Not thread-safe: one poll at a time.
 */
public final class CounterTracker {
    private static final double TWO_TO_32 = 4294967296.0;
    private static final double TWO_TO_64 = 18446744073709551616.0;

    private final double maxIntervalSeconds;
    private final Map<String, CounterSample> previous = new HashMap<>();
    private final Map<String, Long> markers = new HashMap<>();
    private final Map<String, Long> seenIn = new HashMap<>();
    private long poll;

    /** @param maxIntervalSeconds longest gap between two readings that still gives a rate */
    public CounterTracker(double maxIntervalSeconds) {
        this.maxIntervalSeconds = maxIntervalSeconds;
    }

    /** Starts a poll: readings not seen until the next {@link #sweep()} are forgotten then. */
    public void beginPoll() {
        poll++;
    }

    /** The rate of counter {@code key} from the previous reading to {@code now}. */
    public Rate observe(String key, CounterSample now) {
        seenIn.put(key, poll);
        CounterSample before = previous.put(key, now);
        if (before == null) {
            return Rate.none(Rate.Outcome.FIRST, Double.NaN);
        }
        double seconds = (now.atNanos() - before.atNanos()) / 1e9;
        if (before.bits() != now.bits() || !before.source().equals(now.source())) {
            return Rate.none(Rate.Outcome.SOURCE_CHANGED, seconds);
        }
        if (seconds <= 0) {
            return Rate.none(Rate.Outcome.FIRST, seconds);
        }
        if (seconds > maxIntervalSeconds) {
            return Rate.none(Rate.Outcome.GAP, seconds);
        }
        int order = Long.compareUnsigned(now.raw(), before.raw());
        if (order >= 0) {
            return new Rate(Rate.Outcome.RATE, unsigned(now.raw() - before.raw()) / seconds, seconds);
        }
        if (now.bits() == 32) {
            double delta = TWO_TO_32 - unsigned(before.raw()) + unsigned(now.raw());
            return new Rate(Rate.Outcome.WRAPPED, delta / seconds, seconds);
        }
        return Rate.none(Rate.Outcome.RESET, seconds);
    }

    /**
     * Notes a row's discontinuity marker (ifCounterDiscontinuityTime); when it changed, every
     * counter of the row was reset and its history is forgotten. Returns whether it changed.
     */
    public boolean marker(String entity, long value) {
        seenIn.put(entity + "#marker", poll);
        Long before = markers.put(entity, value);
        if (before == null || before == value) {
            return false;
        }
        forget(entity + "|");
        return true;
    }

    /** Forgets all counters (a reboot: no rate crosses it). */
    public void forgetAll() {
        previous.clear();
    }

    private void forget(String keyPrefix) {
        previous.keySet().removeIf(k -> k.startsWith(keyPrefix));
    }

    /** Drops the readings the current poll did not refresh (interfaces gone, objects now missing). */
    public void sweep() {
        for (Iterator<Map.Entry<String, Long>> it = seenIn.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() != poll) {
                String key = e.getKey();
                if (key.endsWith("#marker")) {
                    markers.remove(key.substring(0, key.length() - "#marker".length()));
                } else {
                    previous.remove(key);
                }
                it.remove();
            }
        }
    }

    public int size() {
        return previous.size();
    }

    /** The key of a counter: entity and metric. */
    public static String key(String entity, String metric) {
        return entity + "|" + metric;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : v + TWO_TO_64;
    }
}
