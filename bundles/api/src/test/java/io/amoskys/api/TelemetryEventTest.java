package io.amoskys.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.amoskys.api.event.TelemetryEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryEventTest {

    @Test
    void aBuilderUsedAgainNeverChangesTheEventsItBuilt() {
        TelemetryEvent.Builder b = TelemetryEvent.builder().agentId("a").entityId("e").kind("k").metric("x", 1).label("l", "1");
        TelemetryEvent first = b.build();
        TelemetryEvent second = b.sequence(1).metric("x", 2).metric("y", 3).label("l", "2").build();
        assertEquals(Map.of("x", 1.0), first.metrics());
        assertEquals(Map.of("l", "1"), first.labels());
        assertEquals(Map.of("x", 2.0, "y", 3.0), second.metrics());
        assertEquals(Map.of("l", "2"), second.labels());
    }

    @Test
    void metricsIterateInNameOrderAndCannotBeChanged() {
        TelemetryEvent e = TelemetryEvent.builder().agentId("a").entityId("e").kind("k").metric("b", 2).metric("a", 1).build();
        assertEquals(List.of("a", "b"), List.copyOf(e.metrics().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> e.metrics().put("c", 3.0));
    }
}
