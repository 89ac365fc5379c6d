package io.amoskys.stage.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The working-time columns of an event, remembered for the last second of event time asked
 * about: they depend on the second alone, and neighbouring flows share it. A new second is read
 * with the zone's offset remembered until its next transition, so that local time is a sum and a
 * division rather than a calendar conversion: on a network whose flows end in different seconds
 * the conversion cost more than the rest of a host's columns. Thread-safe: each answer is
 * replaced whole.
 */
final class WorkingSecond {
    private static final long DAY = 86_400;

    /** One second's columns. */
    record Columns(long epochSecond, boolean offHours, double hourSin, double hourCos) {}

    /** The zone's offset, the same from {@code fromSecond} until {@code untilSecond} (exclusive). */
    private record Offset(long fromSecond, long untilSecond, int seconds) {}

    private final WorkingTime work;
    private final ZoneRules rules;
    private volatile Columns last;
    private volatile Offset offset;

    WorkingSecond(WorkingTime work) {
        this.work = work;
        this.rules = work.zone().getRules();
    }

    Columns at(long epochNanos) {
        long second = Math.floorDiv(epochNanos, 1_000_000_000L);
        Columns known = last;
        if (known != null && known.epochSecond() == second) {
            return known;
        }
        Offset o = offset;
        if (o == null || second < o.fromSecond() || second >= o.untilSecond()) {
            o = offsetAt(second);
            offset = o;
        }
        long local = second + o.seconds();
        int ofDay = (int) Math.floorMod(local, DAY);
        DayOfWeek day = DayOfWeek.of((int) Math.floorMod(Math.floorDiv(local, DAY) + 3, 7) + 1); // day 0 was a Thursday
        int hour = ofDay / 3600;
        int minute = ofDay % 3600 / 60;
        Columns made = new Columns(second, work.offHours(day, hour),
                WorkingTime.hourSin(hour, minute, ofDay % 60), WorkingTime.hourCos(hour, minute, ofDay % 60));
        last = made;
        return made;
    }

    private Offset offsetAt(long second) {
        Instant at = Instant.ofEpochSecond(second);
        ZoneOffsetTransition next = rules.nextTransition(at);
        return new Offset(second, next == null ? Long.MAX_VALUE : next.toEpochSecond(), rules.getOffset(at).getTotalSeconds());
    }
}
