package io.amoskys.stage.domain;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.Set;

/**
 * When people work: hours [start, end) on working days, in one time zone. Events outside are
 * off-hours; the hour of day is also given as a point on a circle (sine, cosine) so that 23:00
 * and 01:00 are close.
 */
record WorkingTime(ZoneId zone, int startHour, int endHour, Set<DayOfWeek> days) {

    /** Off-hours at that local day and hour. */
    boolean offHours(DayOfWeek day, int hour) {
        return !days.contains(day) || hour < startHour || hour >= endHour;
    }

    /** The sine of the local time of day on a circle of 24 hours. */
    static double hourSin(int hour, int minute, int second) {
        return Math.sin(2 * Math.PI * hourOfDay(hour, minute, second) / 24);
    }

    static double hourCos(int hour, int minute, int second) {
        return Math.cos(2 * Math.PI * hourOfDay(hour, minute, second) / 24);
    }

    /** Hours since local midnight, fractional. */
    private static double hourOfDay(int hour, int minute, int second) {
        return hour + minute / 60.0 + second / 3600.0;
    }

    /** From configuration: {@code "07-19"} and {@code "MON-FRI"} (or a comma list {@code "MON,TUE"}). */
    static WorkingTime parse(String zone, String hours, String days) {
        String[] h = hours.strip().split("-");
        if (h.length != 2) {
            throw new IllegalArgumentException("working hours must look like 07-19, not '" + hours + "'");
        }
        int start = Integer.parseInt(h[0].strip());
        int end = Integer.parseInt(h[1].strip());
        if (start < 0 || end > 24 || start >= end) {
            throw new IllegalArgumentException("working hours '" + hours + "' must be a range within 0-24");
        }
        return new WorkingTime(ZoneId.of(zone.strip()), start, end, parseDays(days));
    }

    private static Set<DayOfWeek> parseDays(String days) {
        String d = days.strip().toUpperCase();
        java.util.EnumSet<DayOfWeek> set = java.util.EnumSet.noneOf(DayOfWeek.class);
        if (d.contains("-")) {
            String[] range = d.split("-");
            DayOfWeek from = day(range[0]);
            DayOfWeek to = day(range[1]);
            for (DayOfWeek x = from; ; x = x.plus(1)) {
                set.add(x);
                if (x == to) {
                    break;
                }
            }
        } else {
            for (String one : d.split(",")) {
                set.add(day(one));
            }
        }
        return set;
    }

    private static DayOfWeek day(String abbreviation) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().startsWith(abbreviation.strip()) && abbreviation.strip().length() >= 2) {
                return day;
            }
        }
        throw new IllegalArgumentException("'" + abbreviation + "' is not a day of the week (MON, TUE, ...)");
    }
}
