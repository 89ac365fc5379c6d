package io.amoskys.alerts.internal;

import java.util.regex.Pattern;

/**
 * Shell-style patterns for rules and entities: {@code *} any run of characters, {@code ?} one. In
 * text that holds a {@code *} or {@code ?}, a backslash before {@code *}, {@code ?} or a backslash
 * takes that character literally ({@link #quote}); text without either is always literal, so
 * names with backslashes mean what they meant before escapes existed.
 */
public final class Glob {
    private Glob() {}

    /** Whether {@code s} has a wildcard that is not escaped. */
    public static boolean isPattern(String s) {
        return literal(s) == null;
    }

    /**
     * {@code text} as a pattern that matches it alone: entities come from the watched network, and
     * an MQTT topic may well be {@code plant/*}.
     */
    public static String quote(String text) {
        if (!hasWildcardCharacter(text)) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** The one text {@code glob} matches when it has no unescaped wildcard; null when it is a pattern. */
    static String literal(String glob) {
        if (!hasWildcardCharacter(glob)) {
            return glob;
        }
        StringBuilder b = new StringBuilder(glob.length());
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (escapes(glob, i)) {
                b.append(glob.charAt(++i));
            } else if (c == '*' || c == '?') {
                return null;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The pattern as a regular expression matching whole strings. */
    static Pattern regex(String glob) {
        boolean escaping = hasWildcardCharacter(glob);
        StringBuilder b = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (escaping && escapes(glob, i)) {
                literal.append(glob.charAt(++i));
            } else if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    b.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                b.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            b.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(b.toString(), Pattern.DOTALL);
    }

    /** The pattern for SQL {@code LIKE ? ESCAPE '\'}. */
    static String like(String glob) {
        boolean escaping = hasWildcardCharacter(glob);
        StringBuilder b = new StringBuilder(glob.length() + 4);
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (escaping && escapes(glob, i)) {
                c = glob.charAt(++i);
                b.append(c == '\\' ? "\\\\" : String.valueOf(c)); // * and ? mean nothing to LIKE
                continue;
            }
            switch (c) {
                case '*' -> b.append('%');
                case '?' -> b.append('_');
                case '%', '_', '\\' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A LIKE pattern for text that starts with {@code prefix} (taken literally). */
    static String likePrefix(String prefix) {
        return escapeLike(prefix) + "%";
    }

    /** Text taken literally in a LIKE pattern with {@code ESCAPE '\'}. */
    static String escapeLike(String text) {
        StringBuilder b = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c == '_' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static boolean hasWildcardCharacter(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }

    /** A backslash at {@code i} that takes the next character literally. */
    private static boolean escapes(String glob, int i) {
        if (glob.charAt(i) != '\\' || i + 1 >= glob.length()) {
            return false;
        }
        char next = glob.charAt(i + 1);
        return next == '*' || next == '?' || next == '\\';
    }
}
