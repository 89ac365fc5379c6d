package io.amoskys.responder.syslog;

import io.amoskys.api.event.Severity;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * RFC 5424 messages: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID [SD] MSG}. The timestamp is
 * the alert's, so a retry repeats the message byte for byte; the action id is an SD parameter,
 * as MSGID is too short (32 characters) for it.
 */
final class Rfc5424 {
    static final String MSGID = "ALERT";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);
    private static final String BOM = "\uFEFF";

    private Rfc5424() {}

    /** With the alert's fields as structured data and a one-line summary as the message. */
    static String message(SyslogSettings s, AlertFacts f) {
        StringBuilder sd = new StringBuilder("[").append(s.sdId);
        param(sd, "actionId", f.actionId());
        param(sd, "alertId", f.alertId());
        param(sd, "rule", f.rule());
        param(sd, "entity", f.entity());
        param(sd, "severity", f.severity().name());
        param(sd, "responder", f.responder());
        for (String tag : f.tags()) {
            param(sd, "tag", tag); // RFC 5424 allows a parameter name more than once in an element
        }
        sd.append(']');
        String text = oneLine(f.severity().name() + " alert " + f.rule() + " on " + f.entity() + ": " + f.title());
        return header(s, f) + sd + " " + (isAscii(text) ? text : BOM + text);
    }

    /** With no structured data and the given text (a CEF record) as the message. */
    static String withText(SyslogSettings s, AlertFacts f, String text) {
        return header(s, f) + "- " + oneLine(text);
    }

    private static String header(SyslogSettings s, AlertFacts f) {
        int pri = s.facility * 8 + severity(f.severity());
        return "<" + pri + ">1 " + TIMESTAMP.format(f.time()) + " " + s.hostname + " " + s.appName + " - " + MSGID + " ";
    }

    /** Syslog severities: crit, err, warning, notice, info. */
    static int severity(Severity severity) {
        switch (severity) {
            case CRITICAL: return 2;
            case HIGH: return 3;
            case MEDIUM: return 4;
            case LOW: return 5;
            default: return 6;
        }
    }

    /** One line too: an entity or a tag comes from telemetry, and a receiver may split on newlines. */
    private static void param(StringBuilder sd, String name, String value) {
        sd.append(' ').append(name).append("=\"").append(escape(oneLine(value))).append('"');
    }

    /** PARAM-VALUE escaping: '"', '\' and ']' take a backslash. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"' || ch == '\\' || ch == ']') {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.toString();
    }

    /** Receivers that split on newlines (UDP, or TCP without octet counting) see one message. */
    static String oneLine(String text) {
        return text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(ch -> ch < 0x80);
    }
}
