package io.amoskys.rules.sigma;

import io.amoskys.api.admin.MetricsSource;

/** The engine's metrics, {@code amoskys_rules_*}, each family once with its HELP and TYPE. */
final class SigmaMetrics implements MetricsSource {
    private final SigmaEngine engine;

    SigmaMetrics(SigmaEngine engine) {
        this.engine = engine;
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        long rules = 0;
        long correlations = 0;
        for (RuleDef d : engine.rules()) {
            if (d instanceof SigmaRule) {
                rules++;
            } else {
                correlations++;
            }
        }
        family(out, "amoskys_rules_loaded", "gauge", "Sigma rules in force, by type (rule or correlation)");
        out.append("amoskys_rules_loaded{type=\"rule\"} ").append(rules).append('\n');
        out.append("amoskys_rules_loaded{type=\"correlation\"} ").append(correlations).append('\n');
        gauge(out, "amoskys_rules_refused", "Sigma rules refused now (amoskys:rules gives file, line and reason)",
                engine.refusals().size());
        counter(out, "amoskys_rules_refused_total", "Sigma rules refused by the loads so far", engine.refusedTotal.sum());
        counter(out, "amoskys_rules_evaluations_total", "Observations evaluated against the rules", engine.evaluations.sum());
        counter(out, "amoskys_rules_matches_total", "Rule and correlation matches", engine.matches.sum());
        counter(out, "amoskys_rules_alerts_total", "Alerts raised", engine.alerts.sum());
        counter(out, "amoskys_rules_errors_total", "Rule evaluations that failed (the other rules went on)", engine.errors.sum());
        long[] state = engine.state();
        gauge(out, "amoskys_rules_state_groups", "Correlation groups held (at most maxGroups per correlation)", state[0]);
        gauge(out, "amoskys_rules_state_entries", "Matches held in correlation windows", state[1]);
        counter(out, "amoskys_rules_state_evictions_total",
                "Correlation groups evicted to make room for another (least recently matched first)", state[2]);
        counter(out, "amoskys_rules_state_dropped_total",
                "Matches dropped from a full group (oldest first, at most maxEntriesPerGroup)", state[3]);
        counter(out, "amoskys_rules_late_total",
                "Matches too late for their group's window (older than its newest by more than the timespan)", state[4]);
        counter(out, "amoskys_rules_suppressed_total",
                "Matches of a group in the timespan after it fired (one alert per burst and timespan)", state[5]);
        family(out, "amoskys_rules_hits_total", "counter", "Matches per rule in force");
        for (RuleDef d : engine.rules()) {
            out.append("amoskys_rules_hits_total{rule=\"").append(escape(d.key())).append("\"} ").append(d.hits.sum()).append('\n');
        }
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        family(out, name, "gauge", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        family(out, name, "counter", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
