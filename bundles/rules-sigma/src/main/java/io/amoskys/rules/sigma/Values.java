package io.amoskys.rules.sigma;

import java.util.Locale;

/** How field values (text or numbers) compare and print. */
final class Values {
    private Values() {}

    /** The text of a value: integral numbers without a fraction ({@code 443}, not {@code 443.0}). */
    static String text(Object value) {
        if (value instanceof Double d) {
            double v = d;
            if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
                return Long.toString((long) v);
            }
            return Double.toString(v);
        }
        return String.valueOf(value);
    }

    /** The number a value holds, or NaN when it holds none. */
    static double number(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            String t = s.trim();
            if (t.isEmpty()) {
                return Double.NaN;
            }
            char c = t.charAt(0);
            if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.')) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
