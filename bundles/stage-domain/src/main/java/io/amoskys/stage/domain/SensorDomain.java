package io.amoskys.stage.domain;

import io.amoskys.api.event.EventKinds;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import java.util.Map;

/**
 * Sensors as physics bounds them: a reading outside what its quantity can physically be (by its
 * unit), jumps, and gaps between readings. State per sensor: its previous reading.
 */
final class SensorDomain extends DomainKind<SensorDomain.State> {
    /** Physically possible ranges by SenML unit; units not listed have no range. */
    private static final Map<String, double[]> RANGES = Map.of(
            "Cel", new double[] {-273.15, 1000}, "K", new double[] {0, 1300}, "%RH", new double[] {0, 100},
            "%", new double[] {0, 100}, "Pa", new double[] {0, 1.2e5}, "hPa", new double[] {0, 1200},
            "lx", new double[] {0, 2e5}, "ppm", new double[] {0, 1e6}, "m/s", new double[] {0, 120},
            "W", new double[] {0, Double.MAX_VALUE});

    private final Column valueColumn = new Column("value");

    SensorDomain() {
        super(EventKinds.IOT, "sensor", State::new);
        define("out_of_range", "ratio", "", "How far the reading lies outside the physical range of its unit "
                + "(Cel -273.15..1000, %RH and % 0..100, hPa 0..1200, lx, ppm, m/s, W non-negative ...), in range widths "
                + "(capped at 1000); 0 inside or for units without a range.");
        define("step", "the reading's unit", "", "Absolute change from the sensor's previous reading (0 for the first).");
        define("reading_gap_s", "s", "", "Seconds since the sensor's previous reading (0 for the first or a late one).");
    }

    static final class State {
        double previous = Double.NaN;
        long previousNanos = Long.MIN_VALUE;
    }

    @Override
    double[] compute(TelemetryEvent e, FeatureVector v, State s) {
        long t = e.timestampNanos();
        double value = valueColumn.in(v);
        double step = Double.isNaN(s.previous) ? 0 : Math.abs(value - s.previous);
        double gap = s.previousNanos == Long.MIN_VALUE || t < s.previousNanos ? 0 : (t - s.previousNanos) / 1e9;
        if (t >= s.previousNanos) {
            s.previous = value;
            s.previousNanos = t;
        }
        return new double[] {outOfRange(e.labels().get("unit"), value), step, gap};
    }

    static double outOfRange(String unit, double value) {
        double[] range = unit == null ? null : RANGES.get(unit);
        if (range == null) {
            return 0;
        }
        double width = range[1] == Double.MAX_VALUE ? Math.max(1, Math.abs(range[0])) : range[1] - range[0];
        double outside = value < range[0] ? range[0] - value : value > range[1] ? value - range[1] : 0;
        return Math.min(1000, outside / width);
    }
}
