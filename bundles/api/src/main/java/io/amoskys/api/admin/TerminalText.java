package io.amoskys.api.admin;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Text from telemetry made safe for an operator's terminal. Entities, alert titles, labels, device
 * descriptions and responders' answers are shaped by agents and by devices on the watched network;
 * printed as they are, an escape sequence among them could recolour, hide or rewrite what the
 * operator reads, set the window title or, in some terminals, write the clipboard. Shell commands
 * pass such text through here: control characters (C0, DEL, C1), line and paragraph separators
 * and the bidirectional controls are shown as &#92;uXXXX, so nothing in a value acts on the
 * terminal.
 *
 * @since 1.6
 */
public final class TerminalText {
    private TerminalText() {}

    /** The value as one line: every control character escaped, line breaks and tabs too; null as "". */
    public static String printable(Object value) {
        return escape(value == null ? "" : String.valueOf(value), false);
    }

    /** {@link #printable} of each cell, for a table row. */
    public static Object[] cells(Object... values) {
        Object[] out = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = printable(values[i]);
        }
        return out;
    }

    /**
     * A stream onto {@code terminal} that escapes control characters in everything printed, except
     * line breaks and tabs, which the command's own layout needs: for a command's lines, whose
     * values may come from telemetry. A value that must stay on its line goes through
     * {@link #printable} as well. Print tables ({@code ShellTable}) to the terminal itself, with
     * their cells made {@link #cells printable}: the table reads the terminal's encoding from it.
     */
    public static PrintStream lines(PrintStream terminal) {
        return new Lines(terminal);
    }

    static String escape(String text, boolean keepLayout) {
        int i = 0;
        while (i < text.length() && !escaped(text.charAt(i), keepLayout)) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (escaped(c, keepLayout)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean escaped(char c, boolean keepLayout) {
        if (keepLayout && (c == '\n' || c == '\t')) {
            return false;
        }
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069') || c == '\u061c' || c == '\u200e' || c == '\u200f';
    }

    /** Every text path of PrintStream escaped, then written by the terminal's own stream in its own encoding. */
    private static final class Lines extends PrintStream {
        private final PrintStream terminal;

        Lines(PrintStream terminal) {
            super(terminal, true);
            this.terminal = terminal;
        }

        @Override
        public void print(String s) {
            terminal.print(escape(String.valueOf(s), true));
        }

        @Override
        public void print(Object obj) {
            print(String.valueOf(obj));
        }

        @Override
        public void print(char[] s) {
            print(new String(s));
        }

        @Override
        public void print(char c) {
            print(String.valueOf(c));
        }

        @Override
        public void println() {
            terminal.println();
        }

        @Override
        public void println(String x) {
            print(x);
            terminal.println();
        }

        @Override
        public void println(Object x) {
            println(String.valueOf(x));
        }

        @Override
        public void println(char[] x) {
            println(new String(x));
        }

        @Override
        public void println(char x) {
            println(String.valueOf(x));
        }

        @Override
        public PrintStream format(String format, Object... args) {
            print(String.format(format, args));
            return this;
        }

        @Override
        public PrintStream format(Locale l, String format, Object... args) {
            print(String.format(l, format, args));
            return this;
        }

        @Override
        public PrintStream append(CharSequence csq) {
            print(String.valueOf(csq));
            return this;
        }

        @Override
        public PrintStream append(CharSequence csq, int start, int end) {
            print(String.valueOf(csq == null ? "null" : csq).substring(start, end));
            return this;
        }

        @Override
        public PrintStream append(char c) {
            print(c);
            return this;
        }

        /** Raw bytes: C0 controls and DEL (an ESC above all) become '?'; the rest passes as it is. */
        @Override
        public void write(int b) {
            terminal.write(rawSafe(b));
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            byte[] safe = new byte[len];
            for (int i = 0; i < len; i++) {
                safe[i] = (byte) rawSafe(buf[off + i]);
            }
            terminal.write(safe, 0, len);
        }

        private static int rawSafe(int b) {
            int v = b & 0xff;
            return (v < 0x20 && v != '\n' && v != '\t') || v == 0x7f ? '?' : v;
        }

        @Override
        public void flush() {
            terminal.flush();
        }

        /** The terminal is the session's: flushed, never closed here. */
        @Override
        public void close() {
            terminal.flush();
        }

        @Override
        public boolean checkError() {
            return terminal.checkError();
        }
    }
}
