package io.amoskys.alerts.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations and times as people type them in the shell and the REST API. */
public final class Durations {
    /** The longest duration taken: past it, milliseconds added to the clock would overflow; {@code never} says it. */
    static final Duration LONGEST = Duration.ofDays(365L * 1000);

    private Durations() {}

    /**
     * {@code 90s}, {@code 15m}, {@code 2h}, {@code 7d}, {@code 2w} (a number alone is seconds), or ISO-8601
     * ({@code PT1H}, {@code P7D}); {@code never} is {@link Duration#ZERO}.
     *
     * @throws IllegalArgumentException when it is none of these, negative, or longer than a thousand years
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("never") || t.equals("0")) {
            return Duration.ZERO;
        }
        Duration d;
        try {
            if (t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else {
                char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
                String number = Character.isDigit(unit) ? t : t.substring(0, Math.max(0, t.length() - 1));
                long n = Long.parseLong(number.strip());
                d = switch (Character.isDigit(unit) ? 's' : unit) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    case 'w' -> Duration.ofDays(Math.multiplyExact(7, n));
                    default -> throw new NumberFormatException();
                };
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write 90s, 15m, 2h, 7d, 2w, PT1H or never");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative: a duration must not be");
        }
        if (d.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than a thousand years: write never for no end");
        }
        return d;
    }

    /**
     * A point in time: a duration ago ({@code 1h}: an hour before {@code now}), an ISO-8601 instant
     * ({@code 2026-11-26T10:00:00Z}) or a date ({@code 2026-11-26}, midnight UTC), or epoch milliseconds.
     */
    public static long since(String text, long nowMillis) {
        String t = text == null ? "" : text.strip();
        try {
            if (t.length() > 10 && t.charAt(4) == '-' && t.contains("T")) {
                return Instant.parse(t).toEpochMilli();
            }
            if (t.length() == 10 && t.charAt(4) == '-') {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            if (t.length() >= 12 && t.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(t);
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: write 1h (an hour ago), 2026-11-26T10:00:00Z or 2026-11-26");
        }
        try {
            return nowMillis - parse(t).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: write 1h (an hour ago), 2026-11-26T10:00:00Z or 2026-11-26");
        }
    }

    /** Milliseconds as a short duration: {@code 45 s}, {@code 12 min}, {@code 3 h}, {@code 2 d}. */
    public static String shortly(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return s / 60 + " min";
        }
        if (s < 172_800) {
            return s / 3600 + " h";
        }
        return s / 86_400 + " d";
    }
}
