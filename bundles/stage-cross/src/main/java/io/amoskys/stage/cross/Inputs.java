package io.amoskys.stage.cross;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.feature.stats.SchemaColumns;
import java.util.ArrayList;
import java.util.List;

/**
 * The vector columns one kind's cross features read, each given a slot when the features are
 * declared; per event they are read once, by column index, into an array by slot (a missing or
 * NaN column reads 0: an earlier stage may be left out of the route).
 */
final class Inputs {
    private final List<String> names = new ArrayList<>();
    private SchemaColumns columns;

    /** The slot of the named column, given on first use. Declaration time only. */
    int of(String name) {
        int slot = names.indexOf(name);
        if (slot < 0) {
            names.add(name);
            slot = names.size() - 1;
        }
        return slot;
    }

    /** Ends declaration. */
    Inputs freeze() {
        columns = new SchemaColumns(names);
        return this;
    }

    double[] read(FeatureVector v) {
        int[] at = columns.of(v.schema(), FeatureSchema::indexOf);
        double[] in = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            double value = at[i] < 0 ? Double.NaN : v.get(at[i]);
            in[i] = Double.isNaN(value) ? 0 : value;
        }
        return in;
    }
}
