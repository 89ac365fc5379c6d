package io.amoskys.model.iforest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A uniform sample of at most {@code capacity} rows from a stream of any length (Vitter's
 * algorithm R), so that training memory stays bounded whatever the source. Repeatable: the same
 * rows offered in the same order with the same seed keep the same sample.
 */
final class Reservoir {
    private final int capacity;
    private final SplittableRandom random;
    private final List<float[]> rows = new ArrayList<>();
    private long offered;

    Reservoir(int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a reservoir holds at least one row");
        }
        this.capacity = capacity;
        this.random = new SplittableRandom(seed);
    }

    void offer(float[] row) {
        offered++;
        if (rows.size() < capacity) {
            rows.add(row);
            return;
        }
        long slot = random.nextLong(offered);
        if (slot < capacity) {
            rows.set((int) slot, row);
        }
    }

    /** How many rows were offered in all. */
    long offered() {
        return offered;
    }

    float[][] rows() {
        return rows.toArray(float[][]::new);
    }
}
