package io.amoskys.model.runtime;

import io.amoskys.api.event.Score;
import io.amoskys.model.runtime.admin.ShadowReport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A shadow version against the active one, vector by vector, in constant memory. */
final class ShadowComparison {
    final ModelVersion active;
    final ModelVersion shadow;
    private final long shadowErrorsAtStart;
    private final LongAdder rows = new LongAdder();
    private final LongAdder agreements = new LongAdder();
    private final LongAdder activeFlagged = new LongAdder();
    private final LongAdder shadowFlagged = new LongAdder();
    private final DoubleAdder shiftSum = new DoubleAdder();
    private final AtomicLong maxShiftBits = new AtomicLong(Double.doubleToLongBits(0));
    private final LatencyRecorder activeLatency = new LatencyRecorder();
    private final LatencyRecorder shadowLatency = new LatencyRecorder();

    ShadowComparison(ModelVersion active, ModelVersion shadow) {
        this.active = active;
        this.shadow = shadow;
        this.shadowErrorsAtStart = shadow.stats.errorsTotal();
    }

    void record(ModelVersion.Scored byActive, ModelVersion.Scored byShadow) {
        if (byActive.callNanos() > 0 && byShadow.callNanos() > 0) {
            activeLatency.record(byActive.callNanos());
            shadowLatency.record(byShadow.callNanos());
        }
        for (int i = 0; i < byActive.scores().length; i++) {
            Score a = byActive.scores()[i];
            Score s = byShadow.scores()[i];
            if (a == null || s == null) {
                continue;
            }
            rows.increment();
            boolean aFlags = active.flags(a);
            boolean sFlags = shadow.flags(s);
            if (aFlags == sFlags) {
                agreements.increment();
            }
            if (aFlags) {
                activeFlagged.increment();
            }
            if (sFlags) {
                shadowFlagged.increment();
            }
            double shift = Math.abs(s.value() - a.value());
            shiftSum.add(shift);
            maxShiftBits.accumulateAndGet(Double.doubleToLongBits(shift),
                    (x, y) -> Double.longBitsToDouble(x) >= Double.longBitsToDouble(y) ? x : y);
        }
    }

    ShadowReport report() {
        long n = rows.sum();
        return new ShadowReport(active.name(), active.version(), shadow.version(), n,
                n == 0 ? Double.NaN : (double) agreements.sum() / n, activeFlagged.sum(), shadowFlagged.sum(),
                n == 0 ? Double.NaN : shiftSum.sum() / n, Double.longBitsToDouble(maxShiftBits.get()),
                activeLatency.quantileNanos(0.5) / 1e3, activeLatency.quantileNanos(0.99) / 1e3,
                shadowLatency.quantileNanos(0.5) / 1e3, shadowLatency.quantileNanos(0.99) / 1e3,
                shadow.stats.errorsTotal() - shadowErrorsAtStart);
    }
}
