package io.amoskys.feature.export;

import java.io.Closeable;
import java.io.IOException;

/**
 * Writes the vectors of one feature schema to a file that carries the schema's name and version,
 * so a model can check that it is trained on the columns it will see. Columns: {@code entity},
 * {@code timestamp_ns}, {@code label}, {@code event_ids}, then one per feature.
 */
interface VectorWriter extends Closeable {
    /** The fixed columns before the features. */
    String[] LEADING_COLUMNS = {"entity", "timestamp_ns", "label", "event_ids"};

    void write(VectorRow row) throws IOException;
}
