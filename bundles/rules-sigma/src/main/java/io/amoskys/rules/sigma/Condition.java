package io.amoskys.rules.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A detection's condition: selection names joined by {@code and}, {@code or}, {@code not} and
 * parentheses, and the quantifiers {@code 1 of sel*}, {@code all of sel*}, {@code N of them},
 * {@code all of them}. Precedence: not, then and, then or. Selections whose names start with
 * {@code _} are left out of {@code them}, as Sigma says.
 */
final class Condition {
    private Condition() {}

    /** @throws IllegalArgumentException with the reason when the condition is malformed or names no selection */
    static Predicate<Fields> parse(String text, Map<String, Selection> selections) {
        if (text.contains("|")) {
            throw new IllegalArgumentException("aggregations in conditions ('" + text.substring(text.indexOf('|')).trim()
                    + "') are deprecated Sigma: write a correlation rule (event_count, value_count) instead");
        }
        Parser p = new Parser(tokens(text), selections, text);
        Predicate<Fields> result = p.or();
        if (p.pos < p.tokens.size()) {
            throw new IllegalArgumentException("condition '" + text + "': unexpected '" + p.tokens.get(p.pos) + "'");
        }
        return result;
    }

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                tokens.add(String.valueOf(c));
                i++;
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '('
                        && text.charAt(i) != ')') {
                    i++;
                }
                tokens.add(text.substring(start, i));
            }
        }
        return tokens;
    }

    private static final class Parser {
        final List<String> tokens;
        final Map<String, Selection> selections;
        final String text;
        int pos;

        Parser(List<String> tokens, Map<String, Selection> selections, String text) {
            this.tokens = tokens;
            this.selections = selections;
            this.text = text;
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        private boolean keyword(String word) {
            String t = peek();
            if (t != null && t.toLowerCase(Locale.ROOT).equals(word)) {
                pos++;
                return true;
            }
            return false;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("condition '" + text + "': " + what);
        }

        Predicate<Fields> or() {
            Predicate<Fields> left = and();
            while (keyword("or")) {
                Predicate<Fields> l = left;
                Predicate<Fields> r = and();
                left = in -> l.test(in) || r.test(in);
            }
            return left;
        }

        Predicate<Fields> and() {
            Predicate<Fields> left = not();
            while (keyword("and")) {
                Predicate<Fields> l = left;
                Predicate<Fields> r = not();
                left = in -> l.test(in) && r.test(in);
            }
            return left;
        }

        Predicate<Fields> not() {
            if (keyword("not")) {
                Predicate<Fields> inner = not();
                return in -> !inner.test(in);
            }
            return primary();
        }

        Predicate<Fields> primary() {
            String t = peek();
            if (t == null) {
                throw error("ends where a selection name was expected");
            }
            if (t.equals("(")) {
                pos++;
                Predicate<Fields> inner = or();
                if (!keyword(")")) {
                    throw error("a '(' is not closed");
                }
                return inner;
            }
            if (t.equals(")")) {
                throw error("unexpected ')'");
            }
            String lower = t.toLowerCase(Locale.ROOT);
            if (pos + 1 < tokens.size() && tokens.get(pos + 1).equalsIgnoreCase("of")) {
                pos += 2;
                String target = peek();
                if (target == null || target.equals("(") || target.equals(")")) {
                    throw error("'" + t + " of' needs 'them' or a selection name or pattern");
                }
                pos++;
                return quantifier(lower, target);
            }
            if (lower.equals("and") || lower.equals("or") || lower.equals("of")) {
                throw error("unexpected '" + t + "'");
            }
            Selection s = selections.get(t);
            if (s == null) {
                throw error("'" + t + "' is not a selection of this detection (selections: "
                        + String.join(", ", selections.keySet()) + ")");
            }
            pos++;
            return s::matches;
        }

        private Predicate<Fields> quantifier(String count, String target) {
            List<Selection> chosen = new ArrayList<>();
            if (target.equalsIgnoreCase("them")) {
                selections.values().stream().filter(s -> !s.name.startsWith("_")).forEach(chosen::add);
            } else {
                Pattern pattern = Pattern.compile(FieldMatcher.globToRegex(target));
                selections.values().stream().filter(s -> pattern.matcher(s.name).matches()).forEach(chosen::add);
            }
            if (chosen.isEmpty()) {
                throw error("'" + target + "' matches no selection of this detection");
            }
            List<Selection> list = List.copyOf(chosen);
            if (count.equals("all")) {
                return in -> list.stream().allMatch(s -> s.matches(in));
            }
            int n;
            if (count.equals("any")) {
                n = 1;
            } else {
                try {
                    n = Integer.parseInt(count);
                } catch (NumberFormatException e) {
                    throw error("'" + count + " of' must be 'all of', 'any of' or 'N of' with a number N");
                }
            }
            if (n < 1) {
                throw error("'" + count + " of' needs at least 1");
            }
            int need = n;
            return in -> {
                int hits = 0;
                for (Selection s : list) {
                    if (s.matches(in) && ++hits >= need) {
                        return true;
                    }
                }
                return false;
            };
        }
    }
}
