package io.amoskys.edge;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of at most {@code maxChars} characters: a longer line is read to its end but not
 * kept, so that one line without an end cannot take all memory. Lines end at '\n', with a '\r'
 * before it dropped too.
 */
final class BoundedLineReader {
    private final Reader in;
    private final int maxChars;
    private final char[] buffer = new char[8192];
    private final StringBuilder line = new StringBuilder();
    private int position;
    private int end;
    private boolean tooLong;

    BoundedLineReader(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line, or null at the end of input; see {@link #tooLong()} for what it lost. */
    String next() throws IOException {
        line.setLength(0);
        tooLong = false;
        while (true) {
            if (position == end) {
                int read = in.read(buffer, 0, buffer.length);
                if (read < 0) {
                    return line.length() > 0 || tooLong ? finish() : null;
                }
                position = 0;
                end = read;
            }
            int start = position;
            while (position < end && buffer[position] != '\n') {
                position++;
            }
            keep(start, position - start);
            if (position < end) {
                position++; // the '\n'
                return finish();
            }
        }
    }

    /** Whether the line {@link #next()} returned was longer than allowed: what it returned is its start only. */
    boolean tooLong() {
        return tooLong;
    }

    private void keep(int from, int length) {
        int room = maxChars - line.length();
        if (length > room) {
            tooLong = true;
        }
        line.append(buffer, from, Math.min(length, Math.max(0, room)));
    }

    private String finish() {
        int length = line.length();
        if (length > 0 && line.charAt(length - 1) == '\r') {
            line.setLength(length - 1);
        }
        return line.toString();
    }
}
