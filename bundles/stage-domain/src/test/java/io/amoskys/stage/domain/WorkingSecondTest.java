package io.amoskys.stage.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The working-time columns from the remembered offset against the calendar's own conversion, bit for bit. */
class WorkingSecondTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theColumnsAreTheCalendarsAcrossTransitionsAndBackwardsInTime() {
        // Zones with summer time, with half-hour and 45-minute offsets, with a half-hour summer shift, and without any.
        for (String zone : List.of("Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "UTC")) {
            WorkingTime work = WorkingTime.parse(zone, "07-19", "MON-FRI");
            WorkingSecond columns = new WorkingSecond(work);
            Random random = new Random(zone.hashCode());
            List<Long> instants = new ArrayList<>();
            // Every transition of a few years, and the seconds around it.
            Instant from = Instant.parse("2019-01-01T00:00:00Z");
            for (ZoneOffsetTransition t = work.zone().getRules().nextTransition(from);
                    t != null && t.getInstant().isBefore(Instant.parse("2027-01-01T00:00:00Z"));
                    t = work.zone().getRules().nextTransition(t.getInstant())) {
                for (long d = -3; d <= 3; d++) {
                    instants.add((t.toEpochSecond() + d) * S + random.nextInt(1_000_000_000));
                }
            }
            // Random instants, before 1970 too, and runs of neighbouring ones, in an order that goes back as often as forward.
            for (int i = 0; i < 20_000; i++) {
                long at = (long) (random.nextDouble() * 4e9 - 1e9) * S + random.nextInt(1_000_000_000);
                instants.add(at);
                instants.add(at + random.nextInt(3) * S);
            }
            for (long at : instants) {
                assertEquals(reference(work, at), columns.at(at), () -> zone + " at " + Instant.ofEpochSecond(0, at));
            }
        }
    }

    private static WorkingSecond.Columns reference(WorkingTime work, long epochNanos) {
        ZonedDateTime t = Instant.ofEpochSecond(0, epochNanos).atZone(work.zone());
        double hours = t.getHour() + t.getMinute() / 60.0 + t.getSecond() / 3600.0;
        boolean off = !work.days().contains(t.getDayOfWeek()) || t.getHour() < work.startHour() || t.getHour() >= work.endHour();
        return new WorkingSecond.Columns(Math.floorDiv(epochNanos, S), off, Math.sin(2 * Math.PI * hours / 24), Math.cos(2 * Math.PI * hours / 24));
    }
}
