package io.amoskys.responder.syslog;

import java.util.List;
import java.util.Locale;

/** Syslog facility names (as rsyslog and logger(1) spell them) and their RFC 5424 codes. */
final class Facility {
    /** Index = code. */
    static final List<String> NAMES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
            "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron",
            "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7");

    private Facility() {}

    /** @return the code, or -1 when the text is neither a known name nor a number from 0 to 23 */
    static int code(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        int named = NAMES.indexOf(t);
        if (named >= 0) {
            return named;
        }
        if (t.matches("[0-9]{1,2}")) {
            int n = Integer.parseInt(t);
            return n < NAMES.size() ? n : -1;
        }
        return -1;
    }
}
