package io.amoskys.stage.canonical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.TelemetryEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalStageTest {
    private final CanonicalStage stage = new CanonicalStage();

    private static TelemetryEvent.Builder event(String kind, long seq) {
        return TelemetryEvent.builder().agentId("a").sequence(seq).entityId("e").kind(kind).timestampNanos(5);
    }

    @Test
    void aDeclaredKindAlwaysGivesItsDeclaredColumnsWithMissingMetricsAsZero() {
        FeatureVector v = stage.process(event("process", 7).metric("threads", 3).metric("cpu_percent", 1.5)
                .metric("not_declared", 9).build(), null);
        assertEquals("process:canonical.1", v.schema().name());
        assertEquals(stage.columns("process"), v.schema().features());
        assertEquals(List.of("cpu_percent", "fds", "resident_bytes", "sockets", "threads", "virtual_bytes"), v.schema().features());
        assertArrayEquals(new double[] {1.5, 0, 0, 0, 3, 0}, v.toArray());
        assertEquals(List.of("a:7"), v.sourceEventIds());
        assertEquals("e", v.entityId());
    }

    @Test
    void otherKindsGiveAllTheirMetricsInNameOrderUnderASchemaNamedByItsColumns() {
        FeatureVector a = stage.process(event("snmp", 1).metric("y", 2).metric("x", 1).build(), null);
        FeatureVector b = stage.process(event("snmp", 2).metric("x", 2).metric("y", 3).build(), null);
        FeatureVector c = stage.process(event("snmp", 3).metric("x", 2).build(), null);
        assertEquals(List.of("x", "y"), a.schema().features());
        assertArrayEquals(new double[] {1, 2}, a.toArray());
        assertSame(a.schema(), b.schema());
        assertTrue(a.schema().name().startsWith("snmp:canonical.1["), a.schema().name());
        assertNotEquals(a.schema().name(), c.schema().name(), "different columns, different names");
    }

    @Test
    void undeclaredEventsWithoutMetricsYieldNothing() {
        assertNull(stage.process(event("snmp", 1).label("k", "v").build(), null));
    }

    @Test
    void nonFiniteMetricsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stage.process(event("process", 1).metric("x", Double.NaN).build(), null));
        assertEquals("event a:1 has a non-finite metric x=NaN", e.getMessage());
    }

    @Test
    void eventsWhoseMetricNamesChangeStillFillTheRightColumns() {
        // The stage remembers where the last event's metrics went; each change of names must be noticed.
        FeatureVector a = stage.process(event("process", 1).metric("threads", 3).metric("fds", 4).build(), null);
        FeatureVector b = stage.process(event("process", 2).metric("threads", 5).metric("sockets", 6).build(), null);
        FeatureVector c = stage.process(event("process", 3).metric("threads", 7).build(), null);
        FeatureVector d = stage.process(event("process", 4).metric("fds", 8).metric("threads", 9).metric("zzz", 1).build(), null);
        FeatureVector e = stage.process(event("process", 5).metric("fds", 1).metric("threads", 2).metric("zzz", 3).build(), null);
        assertArrayEquals(new double[] {0, 4, 0, 0, 3, 0}, a.toArray());
        assertArrayEquals(new double[] {0, 0, 0, 6, 5, 0}, b.toArray());
        assertArrayEquals(new double[] {0, 0, 0, 0, 7, 0}, c.toArray());
        assertArrayEquals(new double[] {0, 8, 0, 0, 9, 0}, d.toArray());
        assertArrayEquals(new double[] {0, 1, 0, 0, 2, 0}, e.toArray(), "same names as the last event: its layout is reused");
    }
}
