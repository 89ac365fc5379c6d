package io.amoskys.shell.command;

import io.amoskys.admin.view.Devices;
import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.admin.DeviceHealthSource;
import io.amoskys.api.admin.TerminalText;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code amoskys:devices [--agent NAME]}: every device of every agent that reports device health
 * (SNMP devices, MQTT sensors, ...), with state, last seen, latency, events/s and errors.
 */
@Command(scope = "amoskys", name = "devices",
        description = "Lists the devices every agent watches (SNMP devices, MQTT sensors, ...): state (up, down, error, unknown), "
                + "when each was last seen, latency of the last poll, events per second over the last minute, errors and the last one.")
@Service
public class DevicesCommand implements Action {

    @Option(name = "--agent", description = "Only the devices of this agent (snmp, mqtt, ...)")
    String agent;

    @Option(name = "--no-format", description = "Plain tab-separated output, for scripts")
    boolean noFormat;

    @Reference(optional = true)
    List<DeviceHealthSource> sources;

    @Reference
    Session session;

    @Override
    public Object execute() {
        print(Devices.of(sources == null ? List.of() : sources, agent), session.getConsole(), System.currentTimeMillis());
        return null;
    }

    void print(List<DeviceDTO> devices, PrintStream out, long nowMillis) {
        ShellTable table = new ShellTable().emptyTableText(agent == null ? "no devices" : "no devices of agent " + agent);
        table.column("Agent");
        table.column("Name");
        table.column("Address");
        table.column("State");
        table.column("Last seen");
        table.column("Latency ms").alignRight();
        table.column("Events/s").alignRight();
        table.column("Errors").alignRight();
        table.column("Last error").maxSize(100).wrap();
        for (DeviceDTO d : devices) {
            table.addRow().addContent(TerminalText.cells(d.agent, d.name, d.address, d.state, ago(d.lastSeenMillis, nowMillis),
                    d.latencyMillis < 0 ? "-" : String.format(Locale.ROOT, "%.1f", d.latencyMillis),
                    String.format(Locale.ROOT, "%.2f", d.eventsPerSecond), d.errors, d.lastError == null ? "" : d.lastError));
        }
        table.print(out, !noFormat);
    }

    static String ago(long thenMillis, long nowMillis) {
        if (thenMillis <= 0) {
            return "never";
        }
        long s = Math.max(0, (nowMillis - thenMillis) / 1000);
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 7200) {
            return s / 60 + " min ago";
        }
        return s / 3600 + " h ago";
    }
}
