package io.amoskys.feature.stats;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntBiFunction;

/**
 * Where a fixed list of named columns lies in each input schema a stage sees, found once per
 * schema: a stage reads the same columns from every vector, and a lookup by name per column per
 * event cost more than the features computed from them. Thread-safe; remembers at most
 * {@value #MAX_CACHED} schemas (a stream has a handful) and past that looks them up afresh rather
 * than grow.
 */
public final class SchemaColumns {
    static final int MAX_CACHED = 1024;

    /** A schema and where the names lie in it. */
    private record Known(Object schema, int[] columns) {}

    private final String[] names;
    private final Map<Object, int[]> bySchema = new ConcurrentHashMap<>();
    /** The schema asked about last: a stage in a route sees one schema per kind, and this spares the map. */
    private volatile Known last = new Known(new Object(), null);

    public SchemaColumns(List<String> names) {
        this.names = names.toArray(String[]::new);
    }

    /**
     * The column of each name in {@code schema}, in the order given, -1 for a name it lacks.
     *
     * @param schema a schema object whose equals and hashCode stand for its columns
     * @param indexOf the schema's column of a name, -1 when absent (pass a method reference such as
     *     {@code FeatureSchema::indexOf}, which costs no allocation)
     */
    public <K> int[] of(K schema, ToIntBiFunction<K, String> indexOf) {
        Known recent = last;
        if (recent.schema == schema) {
            return recent.columns;
        }
        int[] columns = bySchema.get(schema);
        if (columns == null) {
            columns = find(schema, indexOf);
        }
        last = new Known(schema, columns);
        return columns;
    }

    private <K> int[] find(K schema, ToIntBiFunction<K, String> indexOf) {
        int[] columns = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            columns[i] = indexOf.applyAsInt(schema, names[i]);
        }
        if (bySchema.size() < MAX_CACHED) {
            bySchema.putIfAbsent(schema, columns);
        }
        return columns;
    }
}
