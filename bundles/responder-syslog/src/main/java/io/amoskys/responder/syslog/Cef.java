package io.amoskys.responder.syslog;

import io.amoskys.api.event.Severity;

/**
 * ArcSight Common Event Format: {@code CEF:0|AMOSKYS|AMOSKYS|1.0|RULE|TITLE|SEVERITY|EXTENSION}.
 * The action id is {@code externalId}, the field receivers key duplicates by.
 */
final class Cef {
    static final String VENDOR = "AMOSKYS";
    static final String PRODUCT = "AMOSKYS";
    /** The version of this mapping of alerts to CEF fields. */
    static final String VERSION = "1.0";

    private Cef() {}

    static String record(AlertFacts f) {
        StringBuilder cef = new StringBuilder("CEF:0|").append(VENDOR).append('|').append(PRODUCT).append('|')
                .append(VERSION).append('|').append(header(f.rule())).append('|').append(header(f.title())).append('|')
                .append(severity(f.severity())).append('|');
        cef.append("rt=").append(f.time().toEpochMilli());
        extension(cef, "externalId", f.actionId());
        extension(cef, "cs1Label", "alertId");
        extension(cef, "cs1", f.alertId());
        extension(cef, "cs2Label", "entity");
        extension(cef, "cs2", f.entity());
        extension(cef, "cs3Label", "tags");
        extension(cef, "cs3", String.join(",", f.tags()));
        extension(cef, "cs4Label", "responder");
        extension(cef, "cs4", f.responder());
        extension(cef, "msg", f.title());
        String address = f.entity().startsWith("host:") ? f.entity().substring("host:".length()) : f.entity();
        if (HostNames.ipv4(address)) {
            extension(cef, "src", address);
        }
        return cef.toString();
    }

    /** 0 to 10: 0-3 low, 4-6 medium, 7-8 high, 9-10 very high. */
    static int severity(Severity severity) {
        switch (severity) {
            case CRITICAL: return 10;
            case HIGH: return 8;
            case MEDIUM: return 5;
            case LOW: return 3;
            default: return 1;
        }
    }

    private static void extension(StringBuilder cef, String key, String value) {
        cef.append(' ').append(key).append('=').append(value(value));
    }

    /** Header fields: '\' and '|' take a backslash; a header has no line breaks. */
    static String header(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\\' || ch == '|') {
                out.append('\\').append(ch);
            } else if (ch == '\r' || ch == '\n') {
                out.append(' ');
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** Extension values: '\' and '=' take a backslash; line breaks are written \n and \r. */
    static String value(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '\\': out.append("\\\\"); break;
                case '=': out.append("\\="); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                default: out.append(ch);
            }
        }
        return out.toString();
    }
}
