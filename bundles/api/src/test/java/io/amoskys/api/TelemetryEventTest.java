package io.amoskys.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.MetricNames;
import io.amoskys.api.event.TelemetryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
    void labelsReadAsASortedMapOfTheLastValueGivenEachNameHoweverTheyCame() {
        Random random = new Random(11);
        TelemetryEvent.Builder b = TelemetryEvent.builder().agentId("a").entityId("e").kind("k");
        TreeMap<String, String> expected = new TreeMap<>();
        List<TelemetryEvent> built = new ArrayList<>();
        List<Map<String, String>> expectedBuilt = new ArrayList<>();
        for (int round = 0; round < 300; round++) {
            for (int i = random.nextInt(6); i > 0; i--) { // more names than the builder first holds
                String name = "l" + random.nextInt(40);
                String value = Integer.toString(random.nextInt(5));
                b.label(name, value);
                expected.put(name, value);
            }
            TelemetryEvent event = b.sequence(round).build();
            built.add(event);
            expectedBuilt.add(new TreeMap<>(expected));
            assertEquals(expected, event.labels());
            assertEquals(event.labels(), expected);
            assertEquals(expected.hashCode(), event.labels().hashCode());
            assertEquals(expected.toString(), event.labels().toString());
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(event.labels().keySet()));
            for (String held : event.labels().keySet()) { // the held instances: found by identity
                assertEquals(expected.get(held), event.labels().get(held), held);
            }
            for (int probe = 0; probe < 10; probe++) { // equal names, other instances: found by name order
                String name = "l" + random.nextInt(45);
                assertEquals(expected.get(name), event.labels().get(name), name);
                assertEquals(expected.containsKey(name), event.labels().containsKey(name), name);
                assertEquals(expected.getOrDefault(name, "-"), event.labels().getOrDefault(name, "-"), name);
            }
        }
        for (int i = 0; i < built.size(); i++) { // the builder went on after each of them
            assertEquals(expectedBuilt.get(i), built.get(i).labels());
        }
        Map<String, String> labels = built.get(built.size() - 1).labels();
        assertThrows(UnsupportedOperationException.class, () -> labels.put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> labels.remove(labels.keySet().iterator().next()));
        assertThrows(UnsupportedOperationException.class, labels::clear);
        assertEquals(Map.of(), TelemetryEvent.builder().agentId("a").entityId("e").kind("k").build().labels());
        assertNull(TelemetryEvent.builder().agentId("a").entityId("e").kind("k").build().labels().get("l1"));
    }

    @Test
    void metricsIterateInNameOrderAndCannotBeChanged() {
        TelemetryEvent e = TelemetryEvent.builder().agentId("a").entityId("e").kind("k").metric("b", 2).metric("a", 1).build();
        assertEquals(List.of("a", "b"), List.copyOf(e.metrics().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> e.metrics().put("c", 3.0));
    }

    @Test
    void metricsGivenWholeReadTheSameAsMetricsGivenOneByOne() {
        MetricNames names = MetricNames.of("rx", "errors", "tx");
        double[] values = new double[3];
        values[names.indexOf("rx")] = 10;
        values[names.indexOf("tx")] = 20;
        values[names.indexOf("errors")] = 1;
        TelemetryEvent whole = TelemetryEvent.builder().agentId("a").entityId("e").kind("k").metrics(names, values).build();
        TelemetryEvent oneByOne = TelemetryEvent.builder().agentId("a").entityId("e").kind("k")
                .metric("tx", 20).metric("rx", 10).metric("errors", 1).build();
        assertEquals(oneByOne, whole);
        assertEquals(oneByOne.metrics(), whole.metrics());
        assertEquals(oneByOne.metrics().hashCode(), whole.metrics().hashCode());
        assertEquals(List.of("errors", "rx", "tx"), List.copyOf(whole.metrics().keySet()));
        assertEquals(oneByOne.metricNames(), whole.metricNames());
        assertSame(names, whole.metricNames());
        assertEquals(20.0, whole.metrics().get("tx"));
        assertNull(whole.metrics().get("nope"));
        assertEquals(1.0, whole.metricValue(0));
        List<String> visited = new java.util.ArrayList<>();
        whole.metrics().forEach((name, value) -> visited.add(name + "=" + value));
        assertEquals(List.of("errors=1.0", "rx=10.0", "tx=20.0"), visited);
        assertThrows(UnsupportedOperationException.class, () -> whole.metrics().remove("tx"));
        assertThrows(UnsupportedOperationException.class, () -> whole.metrics().entrySet().iterator().next().setValue(3.0));
    }

    @Test
    void aMetricAddedAfterMetricsGivenWholeLeavesTheEventBuiltBefore() {
        MetricNames names = MetricNames.of("a", "b");
        TelemetryEvent.Builder b = TelemetryEvent.builder().agentId("a").entityId("e").kind("k").metrics(names, new double[] {1, 2});
        TelemetryEvent first = b.build();
        TelemetryEvent second = b.metric("a", 5).metric("c", 3).build();
        assertEquals(Map.of("a", 1.0, "b", 2.0), first.metrics());
        assertEquals(Map.of("a", 5.0, "b", 2.0, "c", 3.0), second.metrics());
        TelemetryEvent third = b.metrics(MetricNames.of("z"), new double[] {9}).build();
        assertEquals(Map.of("z", 9.0), third.metrics());
    }

    @Test
    void metricNamesRefuseRepeatsAndEmptyNamesAndValuesOfAnotherLength() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> MetricNames.of("a", "b", "a"));
        assertTrue(twice.getMessage().contains("'a' is given twice"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetricNames.of("a", ""));
        assertThrows(IllegalArgumentException.class, () -> MetricNames.of("a", null));
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> TelemetryEvent.builder().metrics(MetricNames.of("a", "b"), new double[1]));
        assertTrue(length.getMessage().contains("2 metric names"), length.getMessage());
        assertEquals(-1, MetricNames.of("a").indexOf("b"));
    }
}
