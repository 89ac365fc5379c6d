package io.amoskys.feature.export;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Events of one kind through a feature chain into one file. A vector of another schema than the
 * file's first (another metric set of an undeclared kind, a stage updated under the export) is
 * counted as refused by its schema; an event a stage refuses is counted by the reason's class;
 * the export goes on either way.
 */
final class FeatureExport implements AutoCloseable {
    private final VectorFeed feed;
    private final String label;
    private final Path out;
    private final Map<String, String> metadata;
    private VectorWriter writer;
    private String schemaName;

    FeatureExport(FeatureChain chain, String kind, String label, Path out, Map<String, String> metadata) {
        this.feed = VectorFeed.taking(chain, kind, this::write);
        this.label = label == null ? "" : label;
        this.out = out;
        this.metadata = Map.copyOf(metadata);
        VectorFiles.format(out);
    }

    void accept(TelemetryEvent event) {
        feed.accept(event);
    }

    /** @return whether the vector went into the file */
    private boolean write(FeatureVector vector) {
        try {
            return writeRow(vector);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private boolean writeRow(FeatureVector vector) throws IOException {
        if (writer == null) {
            schemaName = vector.schema().name();
            writer = VectorFiles.open(out, vector.schema(), metadata);
        } else if (!vector.schema().name().equals(schemaName)) {
            // One file holds one schema: kinds without declared columns (SNMP profiles, vendors'
            // kinds) have one per metric set, and only the first set's vectors fit.
            feed.refuse("other schema " + vector.schema().name());
            return false;
        }
        writer.write(new VectorRow(vector.entityId(), vector.timestampNanos(), label,
                String.join(";", vector.sourceEventIds()), vector.toArray()));
        return true;
    }

    /** For example {@code 1005 events, 412 flow vectors to x.csv (schema flow:canonical.1+...), 593 of other kinds, 0 refused}. */
    String summary() {
        return feed.made() + " to " + out + (schemaName == null ? " (no file written)" : " (schema " + schemaName + ")")
                + ", " + feed.skipped();
    }

    long vectors() {
        return feed.vectors();
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
