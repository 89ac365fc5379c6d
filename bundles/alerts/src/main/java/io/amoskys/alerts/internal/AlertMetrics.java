package io.amoskys.alerts.internal;

import io.amoskys.api.alert.Admission;
import io.amoskys.api.alert.AlertState;
import io.amoskys.api.event.Severity;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the alert store counts, for {@code /metrics}. Thread-safe. */
final class AlertMetrics {
    private static final Admission.Outcome[] OUTCOMES = Admission.Outcome.values();
    private static final Severity[] SEVERITIES = Severity.values();
    private static final AlertState[] STATES = AlertState.values();

    private final LongAdder[][] admitted = new LongAdder[OUTCOMES.length][SEVERITIES.length];
    /** Stored alerts by state (kept up to date by the writer; read on scrape). */
    private final AtomicLong[] byState = new AtomicLong[STATES.length];
    final LongAdder storeErrors = new LongAdder();
    final LongAdder commits = new LongAdder();
    final LongAdder transitions = new LongAdder();
    final LongAdder retentionRemoved = new LongAdder();
    final LongAdder closedForRoom = new LongAdder();

    AlertMetrics() {
        for (LongAdder[] row : admitted) {
            for (int i = 0; i < row.length; i++) {
                row[i] = new LongAdder();
            }
        }
        for (int i = 0; i < byState.length; i++) {
            byState[i] = new AtomicLong();
        }
    }

    void admitted(Admission.Outcome outcome, Severity severity) {
        admitted[outcome.ordinal()][severity.ordinal()].increment();
    }

    long admitted(Admission.Outcome outcome) {
        long n = 0;
        for (LongAdder a : admitted[outcome.ordinal()]) {
            n += a.sum();
        }
        return n;
    }

    void setState(AlertState state, long count) {
        byState[state.ordinal()].set(count);
    }

    void addState(AlertState state, long delta) {
        byState[state.ordinal()].addAndGet(delta);
    }

    long inState(AlertState state) {
        return byState[state.ordinal()].get();
    }

    void write(StringBuilder out, int activeSuppressions, int queued) {
        out.append("# HELP amoskys_alerts_admitted_total Alerts rules raised, by what the store did with them ")
                .append("(new: stored and passed on; grouped: counted into an open alert; suppressed) and severity\n")
                .append("# TYPE amoskys_alerts_admitted_total counter\n");
        for (Admission.Outcome o : OUTCOMES) {
            for (Severity s : SEVERITIES) {
                out.append("amoskys_alerts_admitted_total{outcome=\"").append(o.name().toLowerCase(Locale.ROOT))
                        .append("\",severity=\"").append(s.name().toLowerCase(Locale.ROOT)).append("\"} ")
                        .append(admitted[o.ordinal()][s.ordinal()].sum()).append('\n');
            }
        }
        out.append("# HELP amoskys_alerts Stored alerts by state\n# TYPE amoskys_alerts gauge\n");
        for (AlertState s : STATES) {
            out.append("amoskys_alerts{state=\"").append(s.label()).append("\"} ").append(byState[s.ordinal()].get()).append('\n');
        }
        gauge(out, "amoskys_alerts_suppressions_active", "Suppressions in force now", activeSuppressions);
        gauge(out, "amoskys_alerts_queued", "Alerts and changes waiting for the store's writer", queued);
        counter(out, "amoskys_alerts_store_errors_total", "Failures of the alert store (database errors; the log has them)", storeErrors.sum());
        counter(out, "amoskys_alerts_commits_total", "Transactions committed by the alert store's writer", commits.sum());
        counter(out, "amoskys_alerts_transitions_total", "Lifecycle changes (acknowledged, resolved, false positive)", transitions.sum());
        counter(out, "amoskys_alerts_retention_removed_total", "Closed alerts removed by retention", retentionRemoved.sum());
        counter(out, "amoskys_alerts_closed_for_room_total", "Open alerts the store resolved to stay within maxOpenAlerts",
                closedForRoom.sum());
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
    }
}
