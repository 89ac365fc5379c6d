package io.amoskys.feature.export;

/**
 * One exported feature vector: what it describes, when, the label given to the export (empty
 * when none), the ids of the events it was built from, and its values in schema order.
 */
record VectorRow(String entity, long timestampNanos, String label, String eventIds, double[] values) {}
