package io.amoskys.rules.sigma;

import io.amoskys.api.event.Alert;
import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.rule.RuleInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Regression cases for rule bundles, in the spirit of Suricata's verification suite: each case
 * feeds a fresh engine holding the bundle's rules with events (written in the case) or a capture
 * (replayed by the caller's {@link Replayer}), and checks the findings. Shared through this
 * module's test jar; a rule bundle's test is one method:
 *
 * <pre>
 * &#64;TestFactory
 * Stream&lt;DynamicTest&gt; cases() throws IOException {
 *     return RuleCases.tests(Path.of("src/main/resources/rules"), Path.of("src/main/resources/rules/tests"), replayer);
 * }
 * </pre>
 *
 * A case file holds one case per YAML document:
 *
 * <pre>
 * case: SSH brute force from one host
 * events:                         # or: capture: file.pcap (relative to the replayer's folder)
 *   - kind: flow
 *     entity: host:10.0.0.5
 *     time: 0                     # seconds from the case's start
 *     repeat: 30                  # optional: 30 events, every 'every' seconds; {i} in text becomes 0..29
 *     every: 1
 *     labels: {dport: "22", proto: tcp, dst: "10.0.0.{i}"}
 *     metrics: {syn_fwd: 1}
 *     features: {login_flow_rate_1m: 0.5}
 *     scores: {iforest: 0.97}
 * expect:                         # each: at least 'min' (default 1) or exactly 'count' alerts of the rule
 *   - {rule: amoskys-ssh-brute-force, entity: host:10.0.0.5, count: 1, tags: [attack.t1110]}
 * absent: [amoskys-port-scan]     # rules that must not alert
 * max_level: medium               # no alert above this level
 * </pre>
 */
public final class RuleCases {
    /** The cases' clock starts here: 2026-01-01T00:00:00Z. */
    public static final long BASE_NANOS = 1_767_225_600L * 1_000_000_000L;

    /** Feeds the observations a capture makes (flow agent, feature stages, detectors as the caller likes). */
    @FunctionalInterface
    public interface Replayer {
        void replay(String capture, Consumer<RuleInput> sink) throws IOException;
    }

    /** One case as read. */
    public record Case(String file, String name, Map<String, Object> spec) {}

    /** What a case gave: its alerts, and what failed (empty when the case passed). */
    public record Outcome(Case c, List<Alert> alerts, List<String> failures, int refused) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    private RuleCases() {}

    /** A fresh engine with every rule file under {@code rules} (a {@code tests} folder skipped), failing on any refusal. */
    public static SigmaEngine engine(Path rules) throws IOException {
        SigmaEngine engine = new SigmaEngine();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(rules)) {
            files = walk.filter(p -> p.toString().matches(".*\\.ya?ml"))
                    .filter(p -> !rules.relativize(p).toString().replace('\\', '/').matches("(.*/)?tests/.*"))
                    .sorted().toList();
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path f : files) {
            texts.put(rules.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8));
        }
        engine.load(texts, -1);
        return engine;
    }

    /** The cases of every {@code .yaml}/{@code .yml} file of {@code tests}, in file order. */
    @SuppressWarnings("unchecked")
    public static List<Case> cases(Path tests) throws IOException {
        List<Case> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(tests)) {
            files = list.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().toList();
        }
        for (Path f : files) {
            Load load = new Load(LoadSettings.builder().setLabel(f.toString()).build());
            for (Object doc : load.loadAllFromString(Files.readString(f, StandardCharsets.UTF_8))) {
                if (doc instanceof Map<?, ?> m) {
                    Map<String, Object> spec = (Map<String, Object>) m;
                    out.add(new Case(f.getFileName().toString(), String.valueOf(spec.getOrDefault("case", f.getFileName())), spec));
                }
            }
        }
        return out;
    }

    /** Runs one case on a fresh engine of the rules. */
    @SuppressWarnings("unchecked")
    public static Outcome run(Path rules, Case c, Replayer replayer) throws IOException {
        SigmaEngine engine = engine(rules);
        List<Alert> alerts = new ArrayList<>();
        Map<String, Object> spec = c.spec();
        if (spec.containsKey("capture")) {
            if (replayer == null) {
                throw new IllegalArgumentException(c.name() + " replays a capture, but no replayer was given");
            }
            replayer.replay(String.valueOf(spec.get("capture")), in -> alerts.addAll(engine.evaluate(in)));
        }
        if (spec.containsKey("events")) {
            for (RuleInput in : inputs((List<Map<String, Object>>) spec.get("events"))) {
                alerts.addAll(engine.evaluate(in));
            }
        }
        return new Outcome(c, alerts, check(spec, alerts), engine.refusals().size());
    }

    /** Every case of {@code tests} as a JUnit dynamic test, which also fails when a rule is refused. */
    public static Stream<DynamicTest> tests(Path rules, Path tests, Replayer replayer) throws IOException {
        return cases(tests).stream().map(c -> DynamicTest.dynamicTest(c.file() + ": " + c.name(), () -> {
            Outcome o = run(rules, c, replayer);
            if (o.refused() > 0) {
                throw new AssertionError("rules refused: " + engine(rules).refusals());
            }
            if (!o.passed()) {
                throw new AssertionError(c.name() + ": " + String.join("; ", o.failures()) + "\nalerts: " + summary(o.alerts()));
            }
        }));
    }

    /** {@code rule@entity xN} per rule and entity, for messages. */
    public static String summary(List<Alert> alerts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Alert a : alerts) {
            counts.merge(a.rule() + "@" + a.entityId() + "(" + a.severity() + ")", 1, Integer::sum);
        }
        return counts.toString();
    }

    @SuppressWarnings("unchecked")
    static List<String> check(Map<String, Object> spec, List<Alert> alerts) {
        List<String> failures = new ArrayList<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) spec.getOrDefault("expect", List.of())) {
            String rule = String.valueOf(e.get("rule"));
            Object entity = e.get("entity");
            List<Alert> of = alerts.stream().filter(a -> a.rule().equals(rule))
                    .filter(a -> entity == null || a.entityId().equals(String.valueOf(entity))).toList();
            if (e.containsKey("count")) {
                int count = ((Number) e.get("count")).intValue();
                if (of.size() != count) {
                    failures.add(rule + (entity == null ? "" : "@" + entity) + ": " + of.size() + " alerts, expected " + count);
                }
            } else {
                int min = ((Number) e.getOrDefault("min", 1)).intValue();
                if (of.size() < min) {
                    failures.add(rule + (entity == null ? "" : "@" + entity) + ": " + of.size() + " alerts, expected at least " + min);
                }
            }
            for (String tag : (List<String>) e.getOrDefault("tags", List.of())) {
                if (!of.isEmpty() && !of.get(0).tags().contains(tag)) {
                    failures.add(rule + ": tag " + tag + " missing from " + of.get(0).tags());
                }
            }
        }
        for (Object rule : (List<Object>) spec.getOrDefault("absent", List.of())) {
            long n = alerts.stream().filter(a -> a.rule().equals(String.valueOf(rule))).count();
            if (n > 0) {
                failures.add(rule + ": " + n + " alerts, expected none");
            }
        }
        if (spec.containsKey("max_level")) {
            Severity max = severity(String.valueOf(spec.get("max_level")));
            List<Alert> above = alerts.stream().filter(a -> a.severity().compareTo(max) > 0).toList();
            if (!above.isEmpty()) {
                failures.add(above.size() + " alerts above " + spec.get("max_level") + ": " + summary(above));
            }
        }
        return failures;
    }

    static Severity severity(String level) {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "informational" -> Severity.INFO;
            default -> Severity.valueOf(level.toUpperCase(Locale.ROOT));
        };
    }

    /** The observations a case's event list spells, in order. */
    @SuppressWarnings("unchecked")
    public static List<RuleInput> inputs(List<Map<String, Object>> events) {
        List<RuleInput> out = new ArrayList<>();
        long sequence = 0;
        for (Map<String, Object> e : events) {
            int repeat = ((Number) e.getOrDefault("repeat", 1)).intValue();
            double every = ((Number) e.getOrDefault("every", 1)).doubleValue();
            double start = ((Number) e.getOrDefault("time", 0)).doubleValue();
            for (int i = 0; i < repeat; i++) {
                String index = Integer.toString(i);
                long time = BASE_NANOS + Math.round((start + i * every) * 1e9);
                TelemetryEvent.Builder b = TelemetryEvent.builder()
                        .agentId(String.valueOf(e.getOrDefault("agent", "case")))
                        .sequence(((Number) e.getOrDefault("sequence", sequence)).longValue() + (e.containsKey("sequence") ? i : 0))
                        .kind(String.valueOf(e.getOrDefault("kind", "flow")))
                        .entityId(String.valueOf(e.getOrDefault("entity", "host:10.0.0.1")).replace("{i}", index))
                        .timestampNanos(time);
                sequence++;
                ((Map<String, Object>) e.getOrDefault("labels", Map.of()))
                        .forEach((k, v) -> b.label(k, String.valueOf(v).replace("{i}", index)));
                ((Map<String, Object>) e.getOrDefault("metrics", Map.of()))
                        .forEach((k, v) -> b.metric(k, ((Number) v).doubleValue()));
                TelemetryEvent event = b.build();
                Map<String, Object> features = (Map<String, Object>) e.getOrDefault("features", Map.of());
                FeatureVector vector = null;
                if (!features.isEmpty()) {
                    List<String> names = new ArrayList<>(features.keySet());
                    double[] values = new double[names.size()];
                    for (int j = 0; j < values.length; j++) {
                        values[j] = ((Number) features.get(names.get(j))).doubleValue();
                    }
                    vector = new FeatureVector(new FeatureSchema(event.kind() + ":case", 1, names), event.entityId(), time, values,
                            List.of(event.id()));
                }
                List<Score> scores = new ArrayList<>();
                FeatureVector v = vector;
                ((Map<String, Object>) e.getOrDefault("scores", Map.of())).forEach((detector, value) -> scores.add(Score.builder()
                        .detector(detector).entityId(event.entityId()).timestampNanos(time)
                        .value(((Number) value).doubleValue()).eventIds(List.of(event.id())).build()));
                out.add(RuleInput.of(event, v, scores));
            }
        }
        return out;
    }
}
