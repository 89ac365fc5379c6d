package io.amoskys.alerts.internal;

import java.util.regex.Pattern;

/** Shell-style patterns for rules and entities: {@code *} any run of characters, {@code ?} one. */
public final class Glob {
    private Glob() {}

    public static boolean isPattern(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }

    /** The pattern as a regular expression matching whole strings. */
    static Pattern regex(String glob) {
        StringBuilder b = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
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
        StringBuilder b = new StringBuilder(glob.length() + 4);
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
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
}
