package io.amoskys.rest.admin;

import static io.amoskys.rest.admin.AdminJsonTest.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.admin.DeviceHealthSource;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;

class DevicesServletTest {
    private final DevicesServlet servlet = new DevicesServlet(null);

    DevicesServletTest() {
        DeviceHealthSource snmp = () -> List.of(device("snmp", "edge-2", "down"), device("snmp", "core-1", "up"));
        DeviceHealthSource mqtt = () -> List.of(device("mqtt", "site/floor1/temp", "up"));
        servlet.sources = List.of(snmp, mqtt);
    }

    /** GET of the path below /amoskys/api/v1/devices with these query parameters. */
    private static HttpServletRequest get(String pathInfo, Map<String, String> parameters) {
        return (HttpServletRequest) Proxy.newProxyInstance(DevicesServletTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getPathInfo" -> pathInfo;
                    case "getParameter" -> parameters.get((String) args[0]);
                    case "getRequestURI" -> "/amoskys/api/v1/devices" + (pathInfo == null ? "" : pathInfo);
                    default -> null;
                });
    }

    private Object answer(String pathInfo, Map<String, String> parameters) throws NoSuchResource {
        HttpServletRequest request = get(pathInfo, parameters);
        return servlet.resource(ReadOnlyResource.segments(request.getPathInfo()), request).get();
    }

    private static List<String> names(Object devices) {
        return ((JsonArray) devices).stream().map(o -> ((JsonObject) o).getString("agent") + ":" + ((JsonObject) o).getString("name")).toList();
    }

    @Test
    void listsEveryDeviceOrOneAgents() throws Exception {
        assertEquals(List.of("mqtt:site/floor1/temp", "snmp:core-1", "snmp:edge-2"), names(answer(null, Map.of())));
        assertEquals(List.of("mqtt:site/floor1/temp", "snmp:core-1", "snmp:edge-2"), names(answer("/", Map.of("agent", ""))));
        assertEquals(List.of("snmp:core-1", "snmp:edge-2"), names(answer(null, Map.of("agent", "snmp"))));
        assertEquals(List.of(), names(answer(null, Map.of("agent", "flow"))));
    }

    @Test
    void oneDeviceByAgentAndNameSlashesIncluded() throws Exception {
        assertEquals("down", ((JsonObject) answer("/snmp/edge-2", Map.of())).getString("state"));
        assertEquals("site/floor1/temp", ((JsonObject) answer("/mqtt/site/floor1/temp", Map.of())).getString("name"));
    }

    @Test
    void unknownDevicesAndPathsAreNotFound() {
        NoSuchResource device = assertThrows(NoSuchResource.class, () -> answer("/snmp/nope", Map.of()));
        assertEquals("agent snmp has no device nope (GET /amoskys/api/v1/devices lists them)", device.getMessage());
        NoSuchResource path = assertThrows(NoSuchResource.class, () -> answer("/snmp", Map.of()));
        assertTrue(path.getMessage().startsWith("no such resource: /amoskys/api/v1/devices/snmp"), path.getMessage());
    }
}
