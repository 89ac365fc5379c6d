package io.amoskys.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.amoskys.api.admin.EndpointDTO;
import io.amoskys.api.admin.PlatformStatus;
import io.amoskys.api.admin.PluginDTO;
import io.amoskys.api.admin.RouteDTO;
import io.amoskys.api.admin.StepDTO;
import io.amoskys.api.alert.AlertStore;
import java.lang.reflect.Proxy;
import java.util.List;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

/** The live status carries each route's step tree with its counters, for the route graph. */
class SnapshotTest {
    private static StepDTO step(String path, String kind, String label, long in, List<StepDTO> inside) {
        StepDTO s = new StepDTO();
        s.path = path;
        s.kind = kind;
        s.label = label;
        s.exchanges = in;
        s.completed = in - 1;
        s.failed = 1;
        s.meanMicros = 12.345;
        s.steps = inside;
        return s;
    }

    private static final PlatformStatus PLATFORM = new PlatformStatus() {
        @Override
        public List<PluginDTO> plugins() {
            return List.of();
        }

        @Override
        public List<RouteDTO> routes() {
            RouteDTO r = new RouteDTO();
            r.id = "flow-pipeline";
            r.from = "amoskys:bus/flow-pipeline";
            r.state = "Started";
            r.steps = List.of(step("0", "to", "amoskys:stage/canonical", 10, List.of()),
                    step("1", "multicast", "multicast", 9, List.of(step("1.0", "pipeline", "pipeline", 9,
                            List.of(step("1.0.0", "to", "amoskys:rule/sigma", 9, List.of()))))));
            return List.of(r);
        }

        @Override
        public List<EndpointDTO> endpoints() {
            return List.of();
        }

        @Override
        public long deadLettered() {
            return 0;
        }
    };

    private static final AlertStore NO_ALERTS = (AlertStore) Proxy.newProxyInstance(SnapshotTest.class.getClassLoader(),
            new Class<?>[] {AlertStore.class}, (proxy, m, args) -> switch (m.getName()) {
                case "list" -> List.of();
                case "count" -> 0L;
                default -> null;
            });

    @Test
    void eachRouteCarriesItsStepsWithTheirCounters() throws Exception {
        JsonObject live = (JsonObject) Jsoner.deserialize(Jsoner.serialize(new Snapshot(PLATFORM, NO_ALERTS, () -> null).live()));
        JsonObject route = (JsonObject) ((JsonArray) live.get("routes")).get(0);
        JsonArray steps = (JsonArray) route.get("steps");
        JsonObject canonical = (JsonObject) steps.get(0);
        assertEquals("amoskys:stage/canonical", canonical.getString("label"));
        assertEquals(10, canonical.getInteger("in"));
        assertEquals(9, canonical.getInteger("out"));
        assertEquals(1, canonical.getInteger("failed"));
        assertEquals(12.3, canonical.getDouble("meanMicros"), 1e-9, "rounded to a tenth: the event stays short");
        assertFalse(canonical.containsKey("steps"), "a step with nothing inside carries no empty list");
        JsonObject sigma = (JsonObject) ((JsonArray) ((JsonObject) ((JsonArray) ((JsonObject) steps.get(1)).get("steps")).get(0)).get("steps")).get(0);
        assertEquals("1.0.0", sigma.getString("path"));
        assertEquals("amoskys:rule/sigma", sigma.getString("label"));
    }
}
