package io.amoskys.response.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The amoskys_response_* counters; label sets are bounded by responders times decision kinds. */
public final class ResponseMetrics {
    private final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> finishes = new ConcurrentHashMap<>();

    void decided(String responder, String decision) {
        decisions.computeIfAbsent(responder + '\u0000' + decision, k -> new LongAdder()).increment();
    }

    void finished(String responder, String kind) {
        finishes.computeIfAbsent(responder + '\u0000' + kind, k -> new LongAdder()).increment();
    }

    void write(StringBuilder out, ResponseEngine engine, Map<String, Long> byState) {
        family(out, "amoskys_response_decisions_total", "counter",
                "Actions proposed by responders, by what the guardrails decided (queued, awaiting_approval, dry_run, refused, ...)");
        counters(out, "amoskys_response_decisions_total", "decision", decisions);
        family(out, "amoskys_response_outcomes_total", "counter",
                "Attempts and decisions after queuing (executed, retry, failed, undone, undo-failed, expired, approved, abandoned, late-outcome, ...)");
        counters(out, "amoskys_response_outcomes_total", "outcome", finishes);
        family(out, "amoskys_response_actions", "gauge", "Actions in the durable queue by responder and state");
        for (Map.Entry<String, Long> e : new TreeMap<>(byState).entrySet()) {
            String[] k = e.getKey().split("\u0000", 2);
            out.append("amoskys_response_actions{responder=\"").append(escape(k[0])).append("\",state=\"").append(k[1])
                    .append("\"} ").append(e.getValue()).append('\n');
        }
        family(out, "amoskys_response_breaker_open", "gauge", "1 while a circuit breaker is open (the one over all responders, or one responder's)");
        out.append("amoskys_response_breaker_open ").append(engine.breaker().isEmpty() ? 0 : 1).append('\n');
        family(out, "amoskys_response_breaker_openings_total", "counter", "Times the circuit breaker opened");
        out.append("amoskys_response_breaker_openings_total ").append(engine.breakerOpenings()).append('\n');
        family(out, "amoskys_response_workers_busy", "gauge", "Workers carrying out an action now");
        out.append("amoskys_response_workers_busy ").append(engine.busyWorkers()).append('\n');
        family(out, "amoskys_response_held_alerts", "gauge",
                "Alerts a passing guardrail refused, held to be offered again if they are raised again");
        out.append("amoskys_response_held_alerts ").append(engine.heldAlerts()).append('\n');
        family(out, "amoskys_response_held_alerts_offered_total", "counter", "Held alerts offered again once raised again");
        out.append("amoskys_response_held_alerts_offered_total ").append(engine.heldOffered()).append('\n');
        family(out, "amoskys_response_held_alerts_dropped_total", "counter",
                "Held alerts let go because " + Reconsideration.MAX + " others were held");
        out.append("amoskys_response_held_alerts_dropped_total ").append(engine.heldDropped()).append('\n');
        family(out, "amoskys_response_attempts_abandoned", "gauge",
                "Attempts abandoned at their deadline (attemptTimeoutSeconds) whose call has not returned yet");
        out.append("amoskys_response_attempts_abandoned ").append(engine.abandonedAttempts()).append('\n');
    }

    private static void counters(StringBuilder out, String name, String label, Map<String, LongAdder> values) {
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(values).entrySet()) {
            String[] k = e.getKey().split("\u0000", 2);
            out.append(name).append("{responder=\"").append(escape(k[0])).append("\",").append(label).append("=\"")
                    .append(k[1]).append("\"} ").append(e.getValue().sum()).append('\n');
        }
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
