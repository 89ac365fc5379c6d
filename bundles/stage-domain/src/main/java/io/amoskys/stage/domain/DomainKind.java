package io.amoskys.stage.domain;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.feature.stats.EntityTable;
import io.amoskys.feature.stats.SchemaColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The domain features of one telemetry kind and the per-entity state behind them. */
abstract class DomainKind<S> {
    private final String kind;
    private final String entity;
    private final Supplier<S> newState;
    private final List<FeatureDefinition> definitions = new ArrayList<>();

    DomainKind(String kind, String entity, Supplier<S> newState) {
        this.kind = kind;
        this.entity = entity;
        this.newState = newState;
    }

    /** Declares the next column; {@link #compute} returns the columns in this order. */
    final void define(String name, String unit, String window, String definition) {
        definitions.add(new FeatureDefinition(name, kind, entity, unit, window, definition));
    }

    final String kind() {
        return kind;
    }

    final List<FeatureDefinition> definitions() {
        return List.copyOf(definitions);
    }

    /** Names the kind's state: the stage keeps a table per space, so kinds that share an event kind keep apart. */
    String space() {
        return kind;
    }

    /** The key of the state an event updates: its entity, unless the kind keeps state per host or segment. */
    String stateKey(TelemetryEvent event, FeatureVector vector) {
        return vector.entityId();
    }

    /** The state the event updates, in {@code table}, the stage's table of this kind's {@link #space}. */
    S state(EntityTable<Object> table, TelemetryEvent event, FeatureVector vector, long clockNanos) {
        return state(table, stateKey(event, vector), null, clockNanos);
    }

    /** The state keyed by the two parts {@code entity} and {@code detail} (null for none). */
    @SuppressWarnings("unchecked")
    final S state(EntityTable<Object> table, String entity, String detail, long clockNanos) {
        return (S) table.get(space(), entity, detail, clockNanos, (Supplier<Object>) newState);
    }

    /** The kind's columns for this event, in definition order; called with the state locked. */
    abstract double[] compute(TelemetryEvent event, FeatureVector vector, S state);

    /** One named column of the vectors a kind reads, found once per schema rather than by name per event. */
    static final class Column {
        private final SchemaColumns where;

        Column(String name) {
            this.where = new SchemaColumns(List.of(name));
        }

        /** The column's value in the vector, 0 where it is missing or NaN. */
        double in(FeatureVector v) {
            return get(v, where.of(v.schema(), FeatureSchema::indexOf)[0]);
        }
    }

    /** The column at {@code index} of the vector (found by {@link SchemaColumns}), 0 where it is missing (-1) or NaN. */
    static double get(FeatureVector v, int index) {
        double value = index < 0 ? Double.NaN : v.get(index);
        return Double.isNaN(value) ? 0 : value;
    }
}
