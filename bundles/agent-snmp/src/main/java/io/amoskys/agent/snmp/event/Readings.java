package io.amoskys.agent.snmp.event;

import io.amoskys.agent.snmp.counter.CounterSample;
import io.amoskys.agent.snmp.counter.CounterTracker;
import io.amoskys.agent.snmp.counter.Rate;
import io.amoskys.agent.snmp.poll.ErrorReason;
import io.amoskys.agent.snmp.poll.PollFailure;
import io.amoskys.agent.snmp.profile.Kind;
import io.amoskys.agent.snmp.profile.MetricSpec;
import io.amoskys.agent.snmp.profile.Source;
import io.amoskys.api.event.TelemetryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.Variable;

/**
 * The readings of one entity in one poll (a device's profile scalars, or one table row): values,
 * labels, rates from the counter history, and what was missing or of the wrong type.
 */
final class Readings {
    private static final double TWO_TO_64 = 18446744073709551616.0;

    private final String entity;
    private final CounterTracker counters;
    private final long atNanos;
    private final List<PollFailure> problems;
    final Map<String, Double> metrics = new TreeMap<>();
    final Map<String, String> labels = new TreeMap<>();
    final List<String> missing = new ArrayList<>();
    private final List<String> wrapped = new ArrayList<>();
    private final List<String> reset = new ArrayList<>();
    private final List<String> sourceChanged = new ArrayList<>();
    private boolean countersDiscontinued;
    private double intervalSeconds = Double.NaN;

    Readings(String entity, CounterTracker counters, long atNanos, List<PollFailure> problems) {
        this.entity = entity;
        this.counters = counters;
        this.atNanos = atNanos;
        this.problems = problems;
    }

    /**
     * Reads every metric from {@code lookup} (by source OID); {@code fullOid} names the object in
     * messages (a column OID plus the row index).
     */
    void read(List<MetricSpec> specs, Function<OID, Variable> lookup, UnaryOperator<OID> fullOid) {
        // Discontinuity markers first: they decide whether the row's counters keep their history.
        specs.stream().filter(m -> m.kind() == Kind.DISCONTINUITY).forEach(m -> readOne(m, lookup, fullOid));
        specs.stream().filter(m -> m.kind() != Kind.DISCONTINUITY).forEach(m -> readOne(m, lookup, fullOid));
    }

    private void readOne(MetricSpec spec, Function<OID, Variable> lookup, UnaryOperator<OID> fullOid) {
        for (Source source : spec.sources()) {
            Variable v = lookup.apply(source.oid());
            if (v == null || v.isException()) {
                continue; // noSuchObject, noSuchInstance, endOfMibView, or a column the row lacks
            }
            if (!ValueRules.accepts(spec.kind(), v)) {
                problems.add(new PollFailure(ErrorReason.WRONG_TYPE, "wrong type: " + spec.name() + " (" + fullOid.apply(source.oid())
                        + ") of " + entity + " is " + v.getSyntaxString() + ", expected " + ValueRules.expected(spec.kind())));
                continue;
            }
            record(spec, source, v);
            return;
        }
        missing.add(spec.name());
    }

    private void record(MetricSpec spec, Source source, Variable v) {
        String name = spec.name();
        switch (spec.kind()) {
            case COUNTER -> {
                long raw = v.toLong();
                int bits = v.getSyntax() == SMIConstants.SYNTAX_COUNTER64 ? 64 : 32;
                metrics.put(name, unsigned(raw) * source.scale());
                Rate rate = counters.observe(CounterTracker.key(entity, name), new CounterSample(raw, bits, source.oid(), atNanos));
                if (rate.hasRate()) {
                    metrics.put(name + "_rate", rate.perSecond() * source.scale());
                    intervalSeconds = rate.intervalSeconds();
                }
                switch (rate.outcome()) {
                    case WRAPPED -> wrapped.add(name);
                    case RESET -> reset.add(name);
                    case SOURCE_CHANGED -> sourceChanged.add(name);
                    default -> { }
                }
            }
            case GAUGE -> metrics.put(name, (v.getSyntax() == SMIConstants.SYNTAX_INTEGER32 ? v.toInt() : v.toLong()) * source.scale());
            case TIMETICKS -> metrics.put(name, v.toLong() / 100.0);
            case TEXT -> labels.put(name, ValueRules.text(v));
            case DISCONTINUITY -> {
                long ticks = v.toLong();
                metrics.put(name + "_s", ticks / 100.0);
                countersDiscontinued = counters.marker(entity, ticks);
            }
        }
    }

    int wraps() {
        return wrapped.size();
    }

    boolean countersDiscontinued() {
        return countersDiscontinued;
    }

    /** Puts what was read into an event: values, and labels saying what is missing or has no honest rate. */
    TelemetryEvent.Builder fill(TelemetryEvent.Builder b) {
        labels.forEach(b::label);
        metrics.forEach(b::metric);
        b.metric("missing_objects", missing.size());
        if (!missing.isEmpty()) {
            b.label("missing", String.join(",", missing));
        }
        if (!wrapped.isEmpty()) {
            b.label("counter_wrap", String.join(",", wrapped));
        }
        if (!reset.isEmpty()) {
            b.label("counter_reset", String.join(",", reset));
        }
        if (!sourceChanged.isEmpty()) {
            b.label("counter_source_changed", String.join(",", sourceChanged));
        }
        if (!Double.isNaN(intervalSeconds)) {
            b.metric("interval_s", intervalSeconds);
        }
        return b;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : v + TWO_TO_64;
    }
}
