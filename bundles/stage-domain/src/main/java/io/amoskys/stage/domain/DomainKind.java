package io.amoskys.stage.domain;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.api.feature.FeatureDefinition;
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

    /** Names the kind's state in the stage's entity table: kinds that share an event kind keep apart. */
    String space() {
        return kind;
    }

    /** The key of the state an event updates: its entity, unless the kind keeps state per host or segment. */
    String stateKey(TelemetryEvent event, FeatureVector vector) {
        return vector.entityId();
    }

    final S newState() {
        return newState.get();
    }

    /** The kind's columns for this event, in definition order; called with the state locked. */
    abstract double[] compute(TelemetryEvent event, FeatureVector vector, S state);

    /** A column of the vector, 0 where it is missing. */
    static double get(FeatureVector v, String column) {
        double value = v.get(column);
        return Double.isNaN(value) ? 0 : value;
    }
}
