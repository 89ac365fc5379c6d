package io.amoskys.rules.sigma;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads Sigma rule files: one or more YAML documents, each a detection rule or a correlation
 * rule. A document that breaks a rule of the supported subset (docs/RULES.md) is refused with its
 * line and reason; the file's other documents still load.
 */
final class SigmaParser {
    /** logsource categories: the platform's event kinds, and {@code score} for observations detectors scored. */
    static final Set<String> CATEGORIES = Set.of("flow", "dns", "arp", "dhcp", "process", "iot", "snmp", "score");
    static final String PRODUCT = "amoskys";
    static final Set<String> STATUSES = Set.of("stable", "test", "experimental", "deprecated", "unsupported");
    private static final Set<String> CONDITION_OPS = Set.of("gt", "gte", "lt", "lte", "eq");
    private static final Pattern TAG = Pattern.compile("[a-z0-9_-]+\\.[a-z0-9_.-]+");
    private static final Pattern ATTACK_TECHNIQUE = Pattern.compile("attack\\.t\\d+(\\.\\d+)?");
    private static final Pattern ATTACK_TECHNIQUE_OK = Pattern.compile("attack\\.t\\d{4}(\\.\\d{3})?");
    private static final Pattern TIMESPAN = Pattern.compile("(\\d+)([smhdw])");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]+");

    /** What one file gave: the rules it defines and the documents refused. */
    record Parsed(List<RuleDef> rules, List<RuleRefusal> refusals) {}

    private SigmaParser() {}

    static Parsed parse(String source, String text, long bundleId, FieldSlots slots) {
        List<RuleDef> rules = new ArrayList<>();
        List<RuleRefusal> refusals = new ArrayList<>();
        LoadSettings settings = LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(true)
                .setMaxAliasesForCollections(50).setCodePointLimit(8 * 1024 * 1024).build();
        try {
            for (Node doc : new Compose(settings).composeAllFromString(text)) {
                String title = "?";
                try {
                    if (doc instanceof MappingNode m) {
                        Node t = fields(m).get("title");
                        if (t instanceof ScalarNode s) {
                            title = s.getValue();
                        }
                    }
                    rules.add(document(source, doc, bundleId, slots));
                } catch (RuleException e) {
                    refusals.add(new RuleRefusal(source, e.line, title, e.getMessage()));
                }
            }
        } catch (MarkedYamlEngineException e) {
            int line = RuleException.lineOf(e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark());
            refusals.add(new RuleRefusal(source, line, "?", "not valid YAML: " + e.getProblem()));
        } catch (YamlEngineException e) {
            refusals.add(new RuleRefusal(source, 0, "?", "not valid YAML: " + e.getMessage()));
        }
        return new Parsed(rules, refusals);
    }

    private static RuleDef document(String source, Node doc, long bundleId, FieldSlots slots) throws RuleException {
        if (!(doc instanceof MappingNode m)) {
            throw new RuleException(doc, "a rule is a YAML mapping (title, logsource, detection, ...)");
        }
        Map<String, Node> f = fields(m);
        if (f.containsKey("action")) {
            throw new RuleException(f.get("action"), "rule collections ('action: " + scalarText(f.get("action"))
                    + "') are not supported: write each rule in full");
        }
        String title = requiredText(f, "title", m);
        String id = optionalId(f, "id");
        String name = optionalId(f, "name");
        String status = "experimental";
        if (f.containsKey("status")) {
            status = text(f.get("status"), "status").toLowerCase(Locale.ROOT);
            if (!STATUSES.contains(status)) {
                throw new RuleException(f.get("status"), "status '" + status + "' is not one of " + new TreeSet<>(STATUSES));
            }
        }
        Level level = Level.MEDIUM;
        if (f.containsKey("level")) {
            String word = text(f.get("level"), "level").toUpperCase(Locale.ROOT);
            try {
                level = Level.valueOf(word);
            } catch (IllegalArgumentException e) {
                throw new RuleException(f.get("level"), "level '" + word.toLowerCase(Locale.ROOT)
                        + "' is not one of informational, low, medium, high, critical");
            }
        }
        List<String> tags = tags(f.get("tags"));
        if (f.containsKey("correlation")) {
            if (f.containsKey("detection")) {
                throw new RuleException(f.get("detection"), "a correlation rule has no detection of its own: it refers to rules");
            }
            return correlation(source, bundleId, m, f, id, name, title, status, level, tags);
        }
        if (!f.containsKey("detection")) {
            throw new RuleException(m, "a rule needs 'detection' (or 'correlation' for a correlation rule)");
        }
        if (!f.containsKey("logsource")) {
            throw new RuleException(m, "a rule needs 'logsource' (product: amoskys, category: one of "
                    + new TreeSet<>(CATEGORIES) + ")");
        }
        Set<String> kinds = new TreeSet<>();
        boolean needsScores = logsource(f.get("logsource"), kinds);
        Node detection = f.get("detection");
        if (!(detection instanceof MappingNode dm)) {
            throw new RuleException(detection, "'detection' must be a mapping of selections and a condition");
        }
        Map<String, Node> d = fields(dm);
        if (d.containsKey("timeframe")) {
            throw new RuleException(d.get("timeframe"), "'timeframe' is deprecated Sigma: write a correlation rule with a timespan");
        }
        Node conditionNode = d.get("condition");
        if (conditionNode == null) {
            throw new RuleException(detection, "'detection' needs a 'condition'");
        }
        Map<String, Selection> selections = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : d.entrySet()) {
            if (!e.getKey().equals("condition")) {
                selections.put(e.getKey(), selection(e.getKey(), e.getValue(), slots));
            }
        }
        if (selections.isEmpty()) {
            throw new RuleException(detection, "'detection' has no selection");
        }
        List<Predicate<Fields>> conditions = new ArrayList<>();
        List<Node> conditionNodes = conditionNode instanceof SequenceNode s ? s.getValue() : List.of(conditionNode);
        if (conditionNodes.isEmpty()) {
            throw new RuleException(conditionNode, "'condition' is an empty list");
        }
        for (Node c : conditionNodes) {
            String text = text(c, "condition");
            try {
                conditions.add(Condition.parse(text, selections));
            } catch (IllegalArgumentException e) {
                throw new RuleException(c, e.getMessage());
            }
        }
        Predicate<Fields> detect = conditions.size() == 1 ? conditions.get(0)
                : in -> conditions.stream().anyMatch(c -> c.test(in));
        boolean usesScores = selections.values().stream().anyMatch(Selection::usesScores);
        return new SigmaRule(id, name, title, status, level, tags, source, RuleException.lineOf(m), bundleId, kinds, needsScores,
                usesScores, detect);
    }

    /** @return whether the rule wants scored observations only (category score); fills the event kinds */
    private static boolean logsource(Node node, Set<String> kinds) throws RuleException {
        if (!(node instanceof MappingNode lm)) {
            throw new RuleException(node, "'logsource' must be a mapping (product, category)");
        }
        Map<String, Node> l = fields(lm);
        if (l.containsKey("product")) {
            String product = text(l.get("product"), "logsource product");
            if (!product.equalsIgnoreCase(PRODUCT)) {
                throw new RuleException(l.get("product"), "logsource product '" + product
                        + "' is not this platform's: use 'amoskys' (rules for other log sources need a backend)");
            }
        }
        if (!l.containsKey("category")) {
            return false; // every kind
        }
        String category = text(l.get("category"), "logsource category").toLowerCase(Locale.ROOT);
        if (!CATEGORIES.contains(category)) {
            throw new RuleException(l.get("category"), "logsource category '" + category + "' is not one of "
                    + new TreeSet<>(CATEGORIES));
        }
        if (category.equals("score")) {
            return true;
        }
        kinds.add(category);
        return false;
    }

    private static Selection selection(String name, Node node, FieldSlots slots) throws RuleException {
        List<List<FieldMatcher>> alternatives = new ArrayList<>();
        if (node instanceof MappingNode m) {
            alternatives.add(items(name, m, slots));
        } else if (node instanceof SequenceNode s && !s.getValue().isEmpty()
                && s.getValue().stream().allMatch(MappingNode.class::isInstance)) {
            for (Node item : s.getValue()) {
                alternatives.add(items(name, (MappingNode) item, slots));
            }
        } else {
            throw new RuleException(node, "selection '" + name + "' must be a mapping of fields (or a list of such mappings):"
                    + " keyword searches over whole events are not supported, name the field");
        }
        return new Selection(name, alternatives);
    }

    private static List<FieldMatcher> items(String selection, MappingNode m, FieldSlots slots) throws RuleException {
        List<FieldMatcher> all = new ArrayList<>();
        if (m.getValue().isEmpty()) {
            throw new RuleException(m, "selection '" + selection + "' is empty");
        }
        for (Map.Entry<String, Node> e : fields(m).entrySet()) {
            Node v = e.getValue();
            List<Object> values = new ArrayList<>();
            if (v instanceof ScalarNode s) {
                values.add(scalar(s));
            } else if (v instanceof SequenceNode seq) {
                for (Node item : seq.getValue()) {
                    if (!(item instanceof ScalarNode s)) {
                        throw new RuleException(item, "'" + e.getKey() + "' in selection '" + selection
                                + "' lists a " + describe(item) + ": values are plain text or numbers");
                    }
                    values.add(scalar(s));
                }
            } else {
                throw new RuleException(v, "'" + e.getKey() + "' in selection '" + selection
                        + "' has a nested mapping: give a value or a list of values");
            }
            try {
                all.add(FieldMatcher.of(e.getKey(), values, slots));
            } catch (IllegalArgumentException ex) {
                throw new RuleException(v, ex.getMessage());
            }
        }
        return all;
    }

    private static RuleDef correlation(String source, long bundleId, MappingNode m, Map<String, Node> f, String id, String name,
            String title, String status, Level level, List<String> tags) throws RuleException {
        Node cn = f.get("correlation");
        if (!(cn instanceof MappingNode cm)) {
            throw new RuleException(cn, "'correlation' must be a mapping (type, rules, group-by, timespan, condition)");
        }
        Map<String, Node> c = fields(cm);
        Node typeNode = c.get("type");
        if (typeNode == null) {
            throw new RuleException(cn, "'correlation' needs a 'type': event_count, value_count, temporal or temporal_ordered");
        }
        SigmaCorrelation.Type type = SigmaCorrelation.Type.of(text(typeNode, "type"));
        if (type == null) {
            throw new RuleException(typeNode, "correlation type '" + scalarText(typeNode)
                    + "' is not one of event_count, value_count, temporal, temporal_ordered");
        }
        Node rulesNode = c.get("rules");
        if (rulesNode == null) {
            throw new RuleException(cn, "'correlation' needs 'rules': the ids or names of the rules it correlates");
        }
        List<String> refs = new ArrayList<>();
        List<Integer> refLines = new ArrayList<>();
        for (Node r : rulesNode instanceof SequenceNode s ? s.getValue() : List.of(rulesNode)) {
            refs.add(text(r, "rules"));
            refLines.add(RuleException.lineOf(r));
        }
        if (refs.isEmpty()) {
            throw new RuleException(rulesNode, "'rules' is empty");
        }
        if ((type == SigmaCorrelation.Type.TEMPORAL || type == SigmaCorrelation.Type.TEMPORAL_ORDERED) && refs.size() < 2) {
            throw new RuleException(rulesNode, type.word + " correlates at least two rules");
        }
        if (refs.stream().distinct().count() != refs.size()) {
            throw new RuleException(rulesNode, "'rules' names a rule twice");
        }
        List<String> groupBy = new ArrayList<>();
        Node gb = c.get("group-by");
        if (gb != null) {
            for (Node g : gb instanceof SequenceNode s ? s.getValue() : List.of(gb)) {
                groupBy.add(text(g, "group-by"));
            }
        }
        Node ts = c.get("timespan");
        if (ts == null) {
            throw new RuleException(cn, "'correlation' needs a 'timespan' such as 30s, 5m, 1h or 1d");
        }
        long span = timespan(ts);
        Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        Node an = c.get("aliases");
        if (an != null) {
            if (!(an instanceof MappingNode am)) {
                throw new RuleException(an, "'aliases' must map each alias to a mapping of rule to field");
            }
            for (Map.Entry<String, Node> a : fields(am).entrySet()) {
                if (!(a.getValue() instanceof MappingNode per)) {
                    throw new RuleException(a.getValue(), "alias '" + a.getKey() + "' must map rule ids or names to fields");
                }
                Map<String, String> perRule = new LinkedHashMap<>();
                for (Map.Entry<String, Node> r : fields(per).entrySet()) {
                    if (!refs.contains(r.getKey())) {
                        throw new RuleException(r.getValue(), "alias '" + a.getKey() + "' names rule '" + r.getKey()
                                + "', which is not in this correlation's rules");
                    }
                    perRule.put(r.getKey(), text(r.getValue(), "alias field"));
                }
                aliases.put(a.getKey(), perRule);
            }
        }
        Map<String, Double> condition = new LinkedHashMap<>();
        String valueField = null;
        Node condNode = c.get("condition");
        if (condNode != null) {
            if (!(condNode instanceof MappingNode condMap)) {
                throw new RuleException(condNode, "a correlation's 'condition' is a mapping such as {gte: 10}");
            }
            for (Map.Entry<String, Node> e : fields(condMap).entrySet()) {
                if (e.getKey().equals("field")) {
                    valueField = text(e.getValue(), "condition field");
                    continue;
                }
                if (!CONDITION_OPS.contains(e.getKey())) {
                    throw new RuleException(e.getValue(), "condition '" + e.getKey() + "' is not one of gt, gte, lt, lte, eq"
                            + (type == SigmaCorrelation.Type.VALUE_COUNT ? " (and field)" : ""));
                }
                Object v = e.getValue() instanceof ScalarNode s ? scalar(s) : null;
                if (!(v instanceof Long || v instanceof Double)) {
                    throw new RuleException(e.getValue(), "condition " + e.getKey() + " needs a number");
                }
                condition.put(e.getKey(), ((Number) v).doubleValue());
            }
        }
        switch (type) {
            case EVENT_COUNT, VALUE_COUNT -> {
                if (condition.isEmpty()) {
                    throw new RuleException(condNode == null ? cn : condNode, type.word
                            + " needs a condition with gt, gte, lt, lte or eq");
                }
            }
            default -> {
            }
        }
        if (type == SigmaCorrelation.Type.VALUE_COUNT && valueField == null) {
            throw new RuleException(condNode, "value_count needs 'field' in its condition: the field whose distinct values count");
        }
        if (type != SigmaCorrelation.Type.VALUE_COUNT && valueField != null) {
            throw new RuleException(condNode, "'field' belongs to value_count conditions only");
        }
        if (type == SigmaCorrelation.Type.TEMPORAL_ORDERED && !condition.isEmpty()) {
            throw new RuleException(condNode, "temporal_ordered takes no condition: all its rules must match in order");
        }
        boolean generate = false;
        Node gen = c.containsKey("generate") ? c.get("generate") : f.get("generate");
        if (gen != null) {
            Object g = gen instanceof ScalarNode s ? scalar(s) : null;
            if (!(g instanceof Boolean b)) {
                throw new RuleException(gen, "'generate' is true or false");
            }
            generate = b;
        }
        for (String key : c.keySet()) {
            if (!Set.of("type", "rules", "group-by", "timespan", "condition", "aliases", "generate").contains(key)) {
                throw new RuleException(c.get(key), "'correlation' has an unknown key '" + key + "'");
            }
        }
        return new SigmaCorrelation(id, name, title, status, level, tags, source, RuleException.lineOf(m), bundleId, type, refs,
                refLines, groupBy, aliases, span, condition, valueField, generate);
    }

    private static long timespan(Node node) throws RuleException {
        String t = text(node, "timespan").trim();
        Matcher matcher = TIMESPAN.matcher(t);
        if (!matcher.matches()) {
            throw new RuleException(node, "timespan '" + t + "' is not a number with s, m, h, d or w (30s, 5m, 1h)");
        }
        long n = Long.parseLong(matcher.group(1));
        long unit = switch (matcher.group(2)) {
            case "s" -> 1L;
            case "m" -> 60L;
            case "h" -> 3600L;
            case "d" -> 86_400L;
            default -> 604_800L;
        };
        if (n <= 0 || n * unit > 366L * 86_400) {
            throw new RuleException(node, "timespan '" + t + "' must be above 0 and at most a year");
        }
        return n * unit * 1_000_000_000L;
    }

    private static List<String> tags(Node node) throws RuleException {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof SequenceNode s)) {
            throw new RuleException(node, "'tags' must be a list");
        }
        List<String> tags = new ArrayList<>();
        for (Node t : s.getValue()) {
            String tag = text(t, "tag");
            if (!TAG.matcher(tag).matches()) {
                throw new RuleException(t, "tag '" + tag + "' is not namespace.name in lower case (attack.t1046, attack.discovery)");
            }
            if (ATTACK_TECHNIQUE.matcher(tag).matches() && !ATTACK_TECHNIQUE_OK.matcher(tag).matches()) {
                throw new RuleException(t, "tag '" + tag + "' is not an ATT&CK technique id: attack.tNNNN or attack.tNNNN.NNN");
            }
            tags.add(tag);
        }
        return tags;
    }

    /** A mapping's entries by key, in order; keys are plain text and appear once. */
    static Map<String, Node> fields(MappingNode m) throws RuleException {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new RuleException(t.getKeyNode(), "keys must be plain text");
            }
            if (out.put(k.getValue(), t.getValueNode()) != null) {
                throw new RuleException(k, "key '" + k.getValue() + "' appears twice");
            }
        }
        return out;
    }

    private static String requiredText(Map<String, Node> f, String key, Node owner) throws RuleException {
        Node n = f.get(key);
        if (n == null) {
            throw new RuleException(owner, "a rule needs a '" + key + "'");
        }
        String t = text(n, key);
        if (t.isBlank()) {
            throw new RuleException(n, "'" + key + "' is empty");
        }
        return t;
    }

    private static String optionalId(Map<String, Node> f, String key) throws RuleException {
        Node n = f.get(key);
        if (n == null) {
            return null;
        }
        String t = text(n, key);
        if (!ID.matcher(t).matches()) {
            throw new RuleException(n, "'" + key + "' must be letters, digits and . _ : - only, was '" + t + "'");
        }
        return t;
    }

    private static String text(Node n, String what) throws RuleException {
        if (!(n instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
            throw new RuleException(n, "'" + what + "' must be plain text, not a " + describe(n));
        }
        return s.getValue();
    }

    private static String scalarText(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : describe(n);
    }

    private static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "mapping";
        }
        if (n instanceof SequenceNode) {
            return "list";
        }
        return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL) ? "null" : "value";
    }

    /** A scalar as YAML's core schema reads it: Long, Double, Boolean, null or String. */
    static Object scalar(ScalarNode s) {
        Tag tag = s.getTag();
        String v = s.getValue();
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        if (tag.equals(Tag.BOOL)) {
            return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
        }
        if (tag.equals(Tag.INT)) {
            try {
                return Long.decode(v.replace("_", ""));
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (tag.equals(Tag.FLOAT)) {
            try {
                return Double.parseDouble(v.replace("_", ""));
            } catch (NumberFormatException e) {
                return v;
            }
        }
        return v;
    }
}
