package io.amoskys.feature.export;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Events of one kind through a feature chain into one file. A vector of another schema than the
 * file's first (a stage changed under the export) is refused by name; an event a stage refuses
 * is counted by the reason's class and the export goes on.
 */
final class FeatureExport implements AutoCloseable {
    private final FeatureChain chain;
    private final String kind;
    private final String label;
    private final Path out;
    private final Map<String, String> metadata;
    private VectorWriter writer;
    private String schemaName;
    private long events;
    private long vectors;
    private long otherKinds;
    private final Map<String, Long> refused = new TreeMap<>();

    FeatureExport(FeatureChain chain, String kind, String label, Path out, Map<String, String> metadata) {
        this.chain = chain;
        this.kind = kind;
        this.label = label == null ? "" : label;
        this.out = out;
        this.metadata = Map.copyOf(metadata);
        VectorFiles.format(out);
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
        if (vector == null) {
            return;
        }
        try {
            write(vector);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private void write(FeatureVector vector) throws IOException {
        if (writer == null) {
            schemaName = vector.schema().name();
            writer = VectorFiles.open(out, vector.schema(), metadata);
        } else if (!vector.schema().name().equals(schemaName)) {
            throw new IllegalStateException("a vector of schema " + vector.schema().name() + " cannot go into " + out
                    + ", which holds " + schemaName + ": was a stage updated during the export?");
        }
        writer.write(new VectorRow(vector.entityId(), vector.timestampNanos(), label,
                String.join(";", vector.sourceEventIds()), vector.toArray()));
        vectors++;
    }

    /** For example {@code 1005 events, 412 flow vectors to x.csv (schema flow:canonical.1+...), 593 of other kinds, 0 refused}. */
    String summary() {
        StringBuilder s = new StringBuilder().append(events).append(" events, ").append(vectors).append(' ').append(kind)
                .append(" vectors to ").append(out);
        s.append(schemaName == null ? " (no file written)" : " (schema " + schemaName + ")");
        s.append(", ").append(otherKinds).append(" of other kinds, ");
        long refusedCount = refused.values().stream().mapToLong(Long::longValue).sum();
        s.append(refusedCount).append(" refused");
        if (refusedCount > 0) {
            s.append(' ').append(refused);
        }
        return s.toString();
    }

    long vectors() {
        return vectors;
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
