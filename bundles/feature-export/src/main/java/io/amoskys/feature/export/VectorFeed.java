package io.amoskys.feature.export;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Events of one kind through a feature chain to a consumer of vectors, counted: events seen,
 * vectors made, events of other kinds, and events a stage refused (by the exception's class; the
 * feed goes on).
 */
final class VectorFeed {
    private final FeatureChain chain;
    private final String kind;
    private final Predicate<FeatureVector> sink;
    private long events;
    private long vectors;
    private long otherKinds;
    private final Map<String, Long> refused = new TreeMap<>();

    VectorFeed(FeatureChain chain, String kind, Consumer<FeatureVector> sink) {
        this(chain, kind, (Predicate<FeatureVector>) vector -> {
            sink.accept(vector);
            return true;
        });
    }

    private VectorFeed(FeatureChain chain, String kind, Predicate<FeatureVector> sink) {
        this.chain = chain;
        this.kind = kind;
        this.sink = sink;
    }

    /** A feed whose sink may turn a vector down (it then counts it with {@link #refuse}); only those it takes count as made. */
    static VectorFeed taking(FeatureChain chain, String kind, Predicate<FeatureVector> sink) {
        return new VectorFeed(chain, kind, sink);
    }

    /** Counts a vector the sink turned down, by reason. */
    void refuse(String reason) {
        refused.merge(reason, 1L, Long::sum);
    }

    void accept(TelemetryEvent event) {
        events++;
        if (!event.kind().equals(kind)) {
            otherKinds++;
            return;
        }
        FeatureVector vector;
        try {
            vector = chain.apply(event);
        } catch (RuntimeException e) {
            refused.merge(e.getClass().getSimpleName(), 1L, Long::sum);
            return;
        }
        if (vector != null && sink.test(vector)) {
            vectors++;
        }
    }

    long vectors() {
        return vectors;
    }

    /** {@code 1005 events, 412 flow vectors}. */
    String made() {
        return events + " events, " + vectors + " " + kind + " vectors";
    }

    /** {@code 593 of other kinds, 0 refused}, with the refusals by class when there are any. */
    String skipped() {
        long refusedCount = refused.values().stream().mapToLong(Long::longValue).sum();
        return otherKinds + " of other kinds, " + refusedCount + " refused" + (refusedCount > 0 ? " " + refused : "");
    }
}
