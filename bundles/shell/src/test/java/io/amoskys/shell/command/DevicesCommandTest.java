package io.amoskys.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.admin.DeviceHealthSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.Test;

class DevicesCommandTest {
    private static DeviceDTO device(String agent, String name, String state, long lastSeen, String error) {
        DeviceDTO d = new DeviceDTO();
        d.agent = agent;
        d.name = name;
        d.address = "udp:10.0.0.1/161";
        d.state = state;
        d.lastSeenMillis = lastSeen;
        d.latencyMillis = lastSeen > 0 ? 2.5 : -1;
        d.eventsPerSecond = 1.25;
        d.errors = error == null ? 0 : 3;
        d.lastError = error;
        return d;
    }

    private static String run(DevicesCommand command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        command.session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> method.getName().equals("getConsole") ? console : null);
        command.execute();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsTheDevicesOfEverySource() {
        long now = System.currentTimeMillis();
        DevicesCommand command = new DevicesCommand();
        command.noFormat = true;
        DeviceHealthSource snmp = () -> List.of(device("snmp", "core-1", "up", now - 5_000, null),
                device("snmp", "edge-2", "error", 0, "authentication failure (wrong v3 user or password)"));
        DeviceHealthSource mqtt = () -> List.of(device("mqtt", "sensor-9", "down", now - 600_000, "timeout"));
        command.sources = List.of(snmp, mqtt);
        String out = run(command);
        List<List<String>> rows = out.strip().lines().map(l -> java.util.Arrays.stream(l.split("\t")).map(String::trim).toList()).toList();
        assertEquals(3, rows.size(), out); // --no-format: rows only, tab-separated
        assertEquals(List.of("mqtt", "sensor-9", "udp:10.0.0.1/161", "down", "10 min ago", "2.5", "1.25", "3", "timeout"), rows.get(0));
        assertEquals(List.of("snmp", "core-1", "udp:10.0.0.1/161", "up", "5 s ago", "2.5", "1.25", "0", ""),
                rows.get(1).size() == 8 ? java.util.stream.Stream.concat(rows.get(1).stream(), java.util.stream.Stream.of("")).toList() : rows.get(1));
        assertEquals(List.of("snmp", "edge-2", "udp:10.0.0.1/161", "error", "never", "-", "1.25", "3",
                "authentication failure (wrong v3 user or password)"), rows.get(2));

        command.noFormat = false;
        String table = run(command);
        assertTrue(table.lines().findFirst().orElseThrow().contains("Last error"), "a header when formatted: " + table);

        command.agent = "mqtt";
        String filtered = run(command);
        assertFalse(filtered.contains("core-1"), filtered);
        assertTrue(filtered.contains("sensor-9"), filtered);
    }

    @Test
    void saysSoWhenThereAreNone() {
        DevicesCommand command = new DevicesCommand();
        command.sources = List.of();
        assertTrue(run(command).contains("no devices"));
    }
}
