package io.amoskys.stage.domain;

/**
 * The working-time columns of an event, remembered for the last second of event time asked
 * about: they depend on the second alone, neighbouring flows share it, and the conversion to the
 * zone's calendar cost more than the rest of a host's columns. Thread-safe: the answer is
 * replaced whole.
 */
final class WorkingSecond {
    /** One second's columns. */
    record Columns(long epochSecond, boolean offHours, double hourSin, double hourCos) {}

    private final WorkingTime work;
    private volatile Columns last;

    WorkingSecond(WorkingTime work) {
        this.work = work;
    }

    Columns at(long epochNanos) {
        long second = Math.floorDiv(epochNanos, 1_000_000_000L);
        Columns known = last;
        if (known != null && known.epochSecond() == second) {
            return known;
        }
        Columns made = new Columns(second, work.offHours(epochNanos), work.hourSin(epochNanos), work.hourCos(epochNanos));
        last = made;
        return made;
    }
}
