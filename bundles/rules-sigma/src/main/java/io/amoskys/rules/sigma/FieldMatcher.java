package io.amoskys.rules.sigma;

import io.amoskys.api.rule.RuleInput;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code field|modifier|...: value(s)} item of a selection. Several values are alternatives
 * (any one matches) unless the {@code all} modifier asks for every one.
 */
final class FieldMatcher {
    /** The modifiers this engine knows; {@code all} combines with any one of the others. */
    static final Set<String> MODIFIERS = Set.of("contains", "startswith", "endswith", "re", "gt", "gte", "lt", "lte",
            "cidr", "all", "exists");

    final String field;
    /** The field name taken apart once, not at every observation. */
    private final RuleInput.Field ref;
    /** Where an evaluation keeps the field's value ({@link FieldSlots}). */
    private final int slot;
    private final boolean all;
    /** An array: every rule reads its items for every observation, and a list's iterator is an object each time. */
    private final Predicate<Object>[] values;

    private FieldMatcher(String field, int slot, boolean all, List<Predicate<Object>> values) {
        this.field = field;
        this.ref = RuleInput.Field.of(field);
        this.slot = slot;
        this.all = all;
        @SuppressWarnings("unchecked")
        Predicate<Object>[] array = values.toArray(new Predicate[0]);
        this.values = array;
    }

    boolean matches(Fields input) {
        Object value = input.get(ref, slot);
        if (all) {
            for (Predicate<Object> p : values) {
                if (!p.test(value)) {
                    return false;
                }
            }
            return true;
        }
        for (Predicate<Object> p : values) {
            if (p.test(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param key the item's key: {@code field} or {@code field|mod|mod}
     * @param patterns the values as YAML gave them: String, Long, Double, Boolean or null
     * @param slots the engine's numbering of the fields its rules read
     * @throws IllegalArgumentException with the reason when the item cannot work
     */
    static FieldMatcher of(String key, List<Object> patterns, FieldSlots slots) {
        String[] parts = key.split("\\|", -1);
        String field = parts[0].trim();
        if (field.isEmpty()) {
            throw new IllegalArgumentException("'" + key + "' names no field");
        }
        boolean all = false;
        String kind = null;
        for (int i = 1; i < parts.length; i++) {
            String m = parts[i].trim();
            if (!MODIFIERS.contains(m)) {
                throw new IllegalArgumentException("unknown modifier '" + m + "' in '" + key + "' (supported: "
                        + String.join(", ", MODIFIERS.stream().sorted().toList()) + ")");
            }
            if (m.equals("all")) {
                all = true;
            } else if (kind != null) {
                throw new IllegalArgumentException("'" + key + "' combines modifiers '" + kind + "' and '" + m
                        + "': use one, with 'all' if need be");
            } else {
                kind = m;
            }
        }
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("'" + key + "' has an empty list of values");
        }
        if (all && patterns.size() < 2) {
            all = false; // 'all' of one value is that value
        }
        if ("exists".equals(kind) && patterns.size() != 1) {
            throw new IllegalArgumentException("'" + key + "' takes one value, true or false");
        }
        List<Predicate<Object>> values = new java.util.ArrayList<>(patterns.size());
        for (Object p : patterns) {
            values.add(predicate(key, kind, p));
        }
        return new FieldMatcher(field, slots.slotOf(field), all, List.copyOf(values));
    }

    private static Predicate<Object> predicate(String key, String kind, Object p) {
        if (kind == null) {
            return plain(p);
        }
        switch (kind) {
            case "exists": {
                if (!(p instanceof Boolean b)) {
                    throw new IllegalArgumentException("'" + key + "' takes true or false, not '" + p + "'");
                }
                return b ? v -> v != null : v -> v == null;
            }
            case "gt":
            case "gte":
            case "lt":
            case "lte": {
                double limit = p instanceof Boolean || p == null ? Double.NaN : Values.number(p);
                if (Double.isNaN(limit)) {
                    throw new IllegalArgumentException("'" + key + "' compares numbers, but '" + p + "' is not one");
                }
                return switch (kind) {
                    case "gt" -> v -> Values.number(v) > limit;
                    case "gte" -> v -> Values.number(v) >= limit;
                    case "lt" -> v -> Values.number(v) < limit;
                    default -> v -> Values.number(v) <= limit;
                };
            }
            case "cidr": {
                if (!(p instanceof String s)) {
                    throw new IllegalArgumentException("'" + key + "' takes address blocks such as 10.0.0.0/8, not '" + p + "'");
                }
                Cidr cidr = Cidr.parse(s.trim());
                return v -> v instanceof String a && cidr.contains(a);
            }
            case "re": {
                if (!(p instanceof String s)) {
                    throw new IllegalArgumentException("'" + key + "' takes a regular expression, not '" + p + "'");
                }
                Pattern pattern;
                try {
                    pattern = Pattern.compile(s);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("'" + key + "' has an invalid regular expression: "
                            + e.getDescription() + " near index " + e.getIndex());
                }
                return v -> v != null && pattern.matcher(Values.text(v)).find();
            }
            default: { // contains, startswith, endswith
                if (p == null) {
                    throw new IllegalArgumentException("'" + key + "' needs a value, not null");
                }
                String s = Values.text(p instanceof Long l ? (double) l : p);
                String glob = switch (kind) {
                    case "contains" -> "*" + s + "*";
                    case "startswith" -> s + "*";
                    default -> "*" + s;
                };
                Pattern pattern = Pattern.compile(globToRegex(glob), Pattern.CASE_INSENSITIVE | Pattern.DOTALL | Pattern.UNICODE_CASE);
                return v -> v != null && pattern.matcher(Values.text(v)).matches();
            }
        }
    }

    /** Equality: numbers by value, text case-insensitively with Sigma's wildcards; null for absent or empty. */
    private static Predicate<Object> plain(Object p) {
        if (p == null) {
            return v -> v == null || (v instanceof String s && s.isEmpty());
        }
        if (p instanceof Long || p instanceof Double) {
            double n = ((Number) p).doubleValue();
            String text = Values.text(n);
            return v -> {
                if (v == null) {
                    return false;
                }
                double d = Values.number(v);
                return Double.isNaN(d) ? Values.text(v).equalsIgnoreCase(text) : d == n;
            };
        }
        String s = String.valueOf(p);
        if (hasWildcard(s)) {
            Pattern pattern = Pattern.compile(globToRegex(s), Pattern.CASE_INSENSITIVE | Pattern.DOTALL | Pattern.UNICODE_CASE);
            return v -> v != null && pattern.matcher(Values.text(v)).matches();
        }
        String literal = unescape(s);
        return v -> v != null && Values.text(v).equalsIgnoreCase(literal);
    }

    private static boolean hasWildcard(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                i++;
            } else if (c == '*' || c == '?') {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && "*?\\".indexOf(s.charAt(i + 1)) >= 0) {
                c = s.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Sigma's wildcards: {@code *} any run, {@code ?} one character, a backslash escapes them and itself. */
    static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length() && "*?\\".indexOf(glob.charAt(i + 1)) >= 0) {
                literal.append(glob.charAt(++i));
            } else if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return regex.toString();
    }
}
