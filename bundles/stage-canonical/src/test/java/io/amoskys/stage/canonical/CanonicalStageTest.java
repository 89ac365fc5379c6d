package io.amoskys.stage.canonical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalStageTest {
    private final CanonicalStage stage = new CanonicalStage();

    private static TelemetryEvent.Builder event(long seq) {
        return TelemetryEvent.builder().agentId("a").sequence(seq).entityId("e").kind("process").timestampNanos(5);
    }

    @Test
    void metricsBecomeColumnsInNameOrderWithTheEventAsEvidence() {
        FeatureVector v = stage.process(event(7).metric("threads", 3).metric("cpu_percent", 1.5).build(), null);
        assertEquals("process.canonical", v.schema().name());
        assertEquals(List.of("cpu_percent", "threads"), v.schema().features());
        assertArrayEquals(new double[] {1.5, 3}, v.toArray());
        assertEquals(List.of("a:7"), v.sourceEventIds());
        assertEquals("e", v.entityId());
    }

    @Test
    void vectorsOfTheSameShapeShareOneSchema() {
        FeatureVector a = stage.process(event(1).metric("x", 1).build(), null);
        FeatureVector b = stage.process(event(2).metric("x", 2).build(), null);
        assertSame(a.schema(), b.schema());
    }

    @Test
    void eventsWithoutMetricsYieldNothing() {
        assertNull(stage.process(event(1).label("k", "v").build(), null));
    }

    @Test
    void nonFiniteMetricsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stage.process(event(1).metric("x", Double.NaN).build(), null));
        assertEquals("event a:1 has a non-finite metric x=NaN", e.getMessage());
    }
}
