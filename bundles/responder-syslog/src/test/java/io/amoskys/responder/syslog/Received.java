package io.amoskys.responder.syslog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Strict parsers, written from RFC 5424 and the CEF specification, for what the listeners receive. */
final class Received {
    private Received() {}

    /** An RFC 5424 message with at most one SD element (params in order; names may repeat). */
    record Syslog(int pri, String timestamp, String hostname, String appName, String procId, String msgId,
            String sdId, List<Map.Entry<String, String>> params, String msg) {
        String param(String name) {
            List<String> all = params(name);
            if (all.size() != 1) {
                throw new AssertionError("expected one SD param " + name + ", got " + all);
            }
            return all.get(0);
        }

        List<String> params(String name) {
            return params.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).toList();
        }
    }

    static Syslog rfc5424(String m) {
        if (!m.startsWith("<")) {
            throw new AssertionError("no PRI: " + m);
        }
        int close = m.indexOf('>');
        int pri = Integer.parseInt(m.substring(1, close));
        String[] head = m.substring(close + 1).split(" ", 7);
        if (!head[0].equals("1")) {
            throw new AssertionError("VERSION is not 1: " + m);
        }
        String rest = head[6];
        String sdId = null;
        List<Map.Entry<String, String>> params = new ArrayList<>();
        int at;
        if (rest.startsWith("-")) {
            at = 1;
        } else if (rest.startsWith("[")) {
            int idEnd = 1;
            while (rest.charAt(idEnd) != ' ' && rest.charAt(idEnd) != ']') {
                idEnd++;
            }
            sdId = rest.substring(1, idEnd);
            at = idEnd;
            while (rest.charAt(at) == ' ') {
                int eq = rest.indexOf('=', at);
                String name = rest.substring(at + 1, eq);
                if (rest.charAt(eq + 1) != '"') {
                    throw new AssertionError("PARAM-VALUE not quoted after " + name + ": " + rest);
                }
                StringBuilder value = new StringBuilder();
                int i = eq + 2;
                for (; rest.charAt(i) != '"'; i++) {
                    char ch = rest.charAt(i);
                    if (ch == ']') {
                        throw new AssertionError("unescaped ] in the value of " + name + ": " + rest);
                    }
                    if (ch == '\\' && "\"\\]".indexOf(rest.charAt(i + 1)) >= 0) {
                        ch = rest.charAt(++i);
                    }
                    value.append(ch);
                }
                params.add(Map.entry(name, value.toString()));
                at = i + 1;
            }
            if (rest.charAt(at) != ']') {
                throw new AssertionError("SD element not closed: " + rest);
            }
            at++;
            if (at < rest.length() && rest.charAt(at) == '[') {
                throw new AssertionError("more than one SD element: " + rest);
            }
        } else {
            throw new AssertionError("no STRUCTURED-DATA: " + m);
        }
        String msg = at == rest.length() ? null : rest.substring(at + 1);
        if (at < rest.length() && rest.charAt(at) != ' ') {
            throw new AssertionError("no SP before MSG: " + rest);
        }
        return new Syslog(pri, head[1], head[2], head[3], head[4], head[5], sdId, params, msg);
    }

    /** A CEF record: the seven header fields after "CEF:", unescaped, and the extension's key-value pairs. */
    record CefRecord(List<String> header, Map<String, String> extension) {}

    static CefRecord cef(String text) {
        if (!text.startsWith("CEF:")) {
            throw new AssertionError("no CEF record: " + text);
        }
        List<String> header = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 4;
        for (; header.size() < 7; i++) {
            char ch = text.charAt(i);
            if (ch == '\\') {
                char next = text.charAt(++i);
                if (next != '\\' && next != '|') {
                    throw new AssertionError("bad header escape \\" + next + " in " + text);
                }
                field.append(next);
            } else if (ch == '|') {
                header.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        String ext = text.substring(i);
        List<int[]> keys = new ArrayList<>(); // {key start, '=' position}
        for (int j = 0; j < ext.length(); j++) {
            char ch = ext.charAt(j);
            if (ch == '\\') {
                j++;
            } else if (ch == '=') {
                int k = j;
                while (k > 0 && ext.charAt(k - 1) != ' ') {
                    k--;
                }
                keys.add(new int[] {k, j});
            }
        }
        Map<String, String> extension = new LinkedHashMap<>();
        for (int n = 0; n < keys.size(); n++) {
            int end = n + 1 < keys.size() ? keys.get(n + 1)[0] - 1 : ext.length();
            String key = ext.substring(keys.get(n)[0], keys.get(n)[1]);
            extension.put(key, unescapeValue(ext.substring(keys.get(n)[1] + 1, end)));
        }
        return new CefRecord(header, extension);
    }

    private static String unescapeValue(String raw) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch != '\\') {
                out.append(ch);
                continue;
            }
            char next = raw.charAt(++i);
            switch (next) {
                case '\\': case '=': out.append(next); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                default: throw new AssertionError("bad extension escape \\" + next + " in " + raw);
            }
        }
        return out.toString();
    }
}
