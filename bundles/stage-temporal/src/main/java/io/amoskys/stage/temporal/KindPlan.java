package io.amoskys.stage.temporal;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.feature.stats.DecayFactor;
import io.amoskys.feature.stats.DecayedMoments;
import io.amoskys.feature.stats.DistinctCounter;
import io.amoskys.feature.stats.Hashes;
import io.amoskys.feature.stats.SchemaColumns;
import io.amoskys.feature.stats.Window;
import io.amoskys.feature.stats.WindowExtremes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The temporal columns of one telemetry kind, and the per-entity statistics behind them: columns
 * of the same measure and window share one set of decayed moments, so an entity holds one
 * accumulator per (measure, window) and kind of statistic, not one per column.
 */
final class KindPlan {
    /** HyperLogLog precision: 2^8 one-byte registers per epoch, about 6.5 % standard error. */
    static final int DISTINCT_PRECISION = 8;
    private static final int EXTREME_BUCKETS = 4;

    private record Slot(Measure measure, Window window) {}

    final String kind;
    final String entity;
    private final List<TemporalColumn> columns = new ArrayList<>();
    private final Map<Slot, Integer> moments = new LinkedHashMap<>();
    private final Map<Slot, Integer> extremes = new LinkedHashMap<>();
    private final Map<Slot, Integer> distincts = new LinkedHashMap<>();
    private int[] slotOfColumn = new int[0];
    /** Per column, its statistic and its window in seconds: read per event without going through the column. */
    private Stat[] statOfColumn;
    private double[] secondsOfColumn;
    private Slot[] momentSlots;
    private Slot[] extremeSlots;
    private Slot[] distinctSlots;
    /** The distinct measures, each read once per event; the slots' indexes into them. */
    private Measure[] measures;
    private int[] momentMeasure;
    private int[] extremeMeasure;
    private int[] distinctMeasure;
    /** The canonical columns the measures sum, all in one list: measure m's are [summedFrom[m], summedFrom[m + 1]). */
    private SchemaColumns summed;
    private int[] summedFrom;
    /** Makes an entity's state; one instance, so getting an entity allocates no lambda. */
    final Supplier<State> newState = State::new;

    KindPlan(String kind, String entity) {
        this.kind = kind;
        this.entity = entity;
    }

    /** Adds the columns {@code base_WINDOW} for each window. */
    KindPlan add(String base, Stat stat, Measure measure, String unit, Window... windows) {
        for (Window window : windows) {
            columns.add(new TemporalColumn(base + "_" + window.suffix(), stat, measure, unit, window));
        }
        return this;
    }

    /** Fixes the slots; call once after the last {@link #add}. */
    KindPlan compile() {
        slotOfColumn = new int[columns.size()];
        statOfColumn = new Stat[columns.size()];
        secondsOfColumn = new double[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            TemporalColumn c = columns.get(i);
            statOfColumn[i] = c.stat();
            secondsOfColumn[i] = c.window().seconds();
            Slot slot = new Slot(c.measure(), c.window());
            Map<Slot, Integer> slots = c.stat().usesMoments() ? moments : c.stat().usesExtremes() ? extremes : distincts;
            slotOfColumn[i] = slots.computeIfAbsent(slot, s -> slots.size());
        }
        momentSlots = moments.keySet().toArray(Slot[]::new);
        extremeSlots = extremes.keySet().toArray(Slot[]::new);
        distinctSlots = distincts.keySet().toArray(Slot[]::new);
        List<Measure> distinct = columns.stream().map(TemporalColumn::measure).distinct().toList();
        measures = distinct.toArray(Measure[]::new);
        momentMeasure = indexes(momentSlots, distinct);
        extremeMeasure = indexes(extremeSlots, distinct);
        distinctMeasure = indexes(distinctSlots, distinct);
        List<String> columnsSummed = new ArrayList<>();
        summedFrom = new int[measures.length + 1];
        for (int m = 0; m < measures.length; m++) {
            summedFrom[m] = columnsSummed.size();
            columnsSummed.addAll(measures[m].summed());
        }
        summedFrom[measures.length] = columnsSummed.size();
        summed = new SchemaColumns(columnsSummed);
        return this;
    }

    private static int[] indexes(Slot[] slots, List<Measure> measures) {
        int[] out = new int[slots.length];
        for (int i = 0; i < slots.length; i++) {
            out[i] = measures.indexOf(slots[i].measure());
        }
        return out;
    }

    List<FeatureDefinition> definitions() {
        return columns.stream().map(c -> c.definition(kind, entity)).toList();
    }

    /** One entity's accumulators. */
    final class State {
        final DecayedMoments[] moments = new DecayedMoments[momentSlots.length];
        final WindowExtremes[] extremes = new WindowExtremes[extremeSlots.length];
        final DistinctCounter[] distincts = new DistinctCounter[distinctSlots.length];
        /** The newest event time seen: a late event is read against the state as it is now. */
        long newest = Long.MIN_VALUE;

        State() {
            // The moments of one window decay over the same spans: they share the factors.
            Map<Window, DecayFactor> factors = new EnumMap<>(Window.class);
            for (int i = 0; i < moments.length; i++) {
                moments[i] = new DecayedMoments(factors.computeIfAbsent(momentSlots[i].window(), w -> new DecayFactor(w.nanos())));
            }
            for (int i = 0; i < extremes.length; i++) {
                extremes[i] = new WindowExtremes(extremeSlots[i].window().nanos(), EXTREME_BUCKETS);
            }
            for (int i = 0; i < distincts.length; i++) {
                distincts[i] = new DistinctCounter(distinctSlots[i].window().nanos(), DISTINCT_PRECISION);
            }
        }
    }

    /**
     * Adds the event to the entity's accumulators and reads every column at the entity's newest
     * event time: flows are reported when they end, so a host's late ones (idle timeouts) must not
     * read windows that have already moved on as empty.
     */
    double[] update(State s, TelemetryEvent event, FeatureVector vector) {
        long t = event.timestampNanos();
        s.newest = Math.max(s.newest, t);
        long now = s.newest;
        double[] x = new double[measures.length];
        long[] hash = new long[measures.length];
        boolean[] present = new boolean[measures.length];
        int[] at = summed.of(vector.schema(), FeatureSchema::indexOf);
        for (int m = 0; m < measures.length; m++) {
            if (measures[m].isLabel()) {
                String value = measures[m].labelOf(event);
                present[m] = value != null;
                hash[m] = present[m] ? Hashes.of(value) : 0;
            } else {
                x[m] = measures[m].isCount() ? 1 : sum(vector, at, summedFrom[m], summedFrom[m + 1]);
            }
        }
        for (int i = 0; i < momentSlots.length; i++) {
            s.moments[i].add(t, x[momentMeasure[i]]);
        }
        for (int i = 0; i < extremeSlots.length; i++) {
            s.extremes[i].add(t, x[extremeMeasure[i]]);
        }
        for (int i = 0; i < distinctSlots.length; i++) {
            if (present[distinctMeasure[i]]) {
                s.distincts[i].add(t, hash[distinctMeasure[i]]);
            }
        }
        double[] out = new double[slotOfColumn.length];
        for (int i = 0; i < out.length; i++) {
            int slot = slotOfColumn[i];
            out[i] = switch (statOfColumn[i]) {
                case RATE -> s.moments[slot].rate(now);
                case SUM_RATE -> s.moments[slot].sum(now) / secondsOfColumn[i];
                case MEAN -> s.moments[slot].mean();
                case STD -> s.moments[slot].std();
                case MIN -> finite(s.extremes[slot].min(now));
                case MAX -> finite(s.extremes[slot].max(now));
                case DISTINCT -> s.distincts[slot].estimate(now);
            };
        }
        return out;
    }

    /** The columns at[from..to) of the vector added up, a missing (or NaN) one counting 0. */
    private static double sum(FeatureVector vector, int[] at, int from, int to) {
        double total = 0;
        for (int i = from; i < to; i++) {
            double value = at[i] < 0 ? Double.NaN : vector.get(at[i]);
            total += Double.isNaN(value) ? 0 : value;
        }
        return total;
    }

    /** An out-of-window event leaves no extreme to report: 0, not NaN, so models see numbers. */
    private static double finite(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
