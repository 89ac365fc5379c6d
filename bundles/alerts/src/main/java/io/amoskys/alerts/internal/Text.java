package io.amoskys.alerts.internal;

import io.amoskys.api.alert.ContributionDTO;
import io.amoskys.api.event.Contribution;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the store keeps lists and maps in text columns, within their lengths. */
final class Text {
    private Text() {}

    static String cut(String s, int max) {
        if (s == null) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** One line per item (line breaks inside an item become spaces), as many items as fit in {@code maxChars}. */
    static String lines(Collection<String> items, int maxChars) {
        StringBuilder b = new StringBuilder();
        for (String item : items) {
            String clean = oneLine(item);
            int needed = clean.length() + (b.length() == 0 ? 0 : 1);
            if (b.length() + needed > maxChars) {
                break;
            }
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(clean);
        }
        return b.toString();
    }

    static List<String> lines(String text) {
        if (text == null || text.isEmpty()) {
            return new ArrayList<>();
        }
        return new ArrayList<>(List.of(text.split("\n", -1)));
    }

    static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    /** {@code key=value} lines, with {@code \}, line breaks and {@code =} escaped; whole entries only. */
    static String map(Map<String, String> map, int maxChars) {
        List<String> entries = new ArrayList<>(map.size());
        map.forEach((k, v) -> entries.add(escape(k, true) + "=" + escape(v == null ? "" : v, false)));
        return lines(entries, maxChars);
    }

    static Map<String, String> map(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines(text)) {
            int eq = -1;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '=') {
                    eq = i;
                    break;
                }
            }
            if (eq >= 0) {
                out.put(unescape(line.substring(0, eq)), unescape(line.substring(eq + 1)));
            }
        }
        return out;
    }

    private static String escape(String s, boolean key) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '=' -> b.append(key ? "\\=" : "=");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code weight<TAB>value<TAB>feature} lines, largest first as given. */
    static String contributions(List<Contribution> contributions, int most, int maxChars) {
        List<String> lines = new ArrayList<>();
        for (Contribution c : contributions) {
            if (lines.size() == most) {
                break;
            }
            lines.add(c.weight() + "\t" + c.value() + "\t" + c.feature().replace('\t', ' '));
        }
        return lines(lines, maxChars);
    }

    static List<ContributionDTO> contributions(String text) {
        List<ContributionDTO> out = new ArrayList<>();
        for (String line : lines(text)) {
            String[] parts = line.split("\t", 3);
            if (parts.length == 3) {
                ContributionDTO c = new ContributionDTO();
                c.weight = Double.parseDouble(parts[0]);
                c.value = Double.parseDouble(parts[1]);
                c.feature = parts[2];
                out.add(c);
            }
        }
        return out;
    }

    /** A 64-bit FNV-1a hash of an event id: the store tells evidence ids apart by it. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h ^= c & 0xff;
            h *= 0x100000001b3L;
            h ^= c >>> 8;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
