package io.amoskys.shell.command;

import io.amoskys.api.admin.DeviceDTO;
import io.amoskys.api.admin.DeviceHealthSource;
import io.amoskys.api.admin.PlatformStatus;
import io.amoskys.api.admin.PluginDTO;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code amoskys:agents}: every agent, with how many of its devices are up and its event rate. */
@Command(scope = "amoskys", name = "agents",
        description = "Lists the agents with their bundle, their devices (up of all, for agents that watch devices) "
                + "and the events per second their devices send. amoskys:devices shows each device.")
@Service
public class AgentsCommand implements Action {

    @Option(name = "--no-format", description = "Plain tab-separated output, for scripts")
    boolean noFormat;

    @Reference
    PlatformStatus status;

    @Reference(optional = true)
    List<DeviceHealthSource> sources;

    @Reference
    Session session;

    @Override
    public Object execute() {
        List<DeviceDTO> devices = sources == null ? List.of()
                : sources.stream().flatMap(s -> s.devices().stream()).toList();
        ShellTable table = new ShellTable().emptyTableText("no agents registered");
        table.column("Agent");
        table.column("State");
        table.column("Devices up").alignRight();
        table.column("Events/s").alignRight();
        table.column("Errors").alignRight();
        table.column("Bundle");
        for (PluginDTO p : status.plugins()) {
            if (!p.kind.equals("agent")) {
                continue;
            }
            List<DeviceDTO> own = devices.stream().filter(d -> p.name.equals(d.agent)).toList();
            long up = own.stream().filter(d -> "up".equals(d.state)).count();
            table.addRow().addContent(p.name, p.active ? "active" : "shadowed",
                    own.isEmpty() ? "-" : up + "/" + own.size(),
                    own.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f", own.stream().mapToDouble(d -> d.eventsPerSecond).sum()),
                    own.stream().mapToLong(d -> d.errors).sum(), p.bundle + " [" + p.bundleId + "]");
        }
        table.print(session.getConsole(), !noFormat);
        return null;
    }
}
