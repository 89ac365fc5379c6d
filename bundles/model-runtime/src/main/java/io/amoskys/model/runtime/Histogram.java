package io.amoskys.model.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/** A Prometheus histogram with fixed upper bounds; lock-free to record. */
final class Histogram {
    static final double[] LATENCY_SECONDS =
            {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1};
    static final double[] SCORES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1};

    private final double[] bounds;
    private final AtomicLongArray counts;
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double... bounds) {
        this.bounds = bounds.clone();
        this.counts = new AtomicLongArray(bounds.length + 1);
    }

    void record(double value) {
        int i = 0;
        while (i < bounds.length && value > bounds[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sum.add(value);
    }

    List<Double> upperBounds() {
        return Arrays.stream(bounds).boxed().toList();
    }

    /** Samples per bucket (not cumulative), the last one above every bound; each read once, not as one atomic snapshot. */
    List<Long> counts() {
        List<Long> counts = new ArrayList<>(bounds.length + 1);
        for (int i = 0; i <= bounds.length; i++) {
            counts.add(this.counts.get(i));
        }
        return counts;
    }

    /** The samples (no HELP or TYPE: the family writes those once), labelled {@code labels} ({@code a="b",c="d"}). */
    void write(StringBuilder out, String name, String labels) {
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts.get(i);
            bucket(out, name, labels, Double.toString(bounds[i]), cumulative);
        }
        cumulative += counts.get(bounds.length);
        bucket(out, name, labels, "+Inf", cumulative);
        out.append(name).append("_sum{").append(labels).append("} ").append(sum.sum()).append('\n');
        out.append(name).append("_count{").append(labels).append("} ").append(cumulative).append('\n');
    }

    private static void bucket(StringBuilder out, String name, String labels, String le, long count) {
        out.append(name).append("_bucket{").append(labels).append(",le=\"").append(le).append("\"} ").append(count).append('\n');
    }
}
