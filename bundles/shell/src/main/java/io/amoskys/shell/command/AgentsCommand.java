package io.amoskys.shell.command;

import io.amoskys.admin.view.AgentSummary;
import io.amoskys.admin.view.Devices;
import io.amoskys.api.admin.DeviceHealthSource;
import io.amoskys.api.admin.PlatformStatus;
import io.amoskys.api.admin.TerminalText;
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
        List<AgentSummary> agents = AgentSummary.of(status.plugins(), Devices.of(sources == null ? List.of() : sources, null));
        ShellTable table = new ShellTable().emptyTableText("no agents registered");
        table.column("Agent");
        table.column("State");
        table.column("Devices up").alignRight();
        table.column("Events/s").alignRight();
        table.column("Errors").alignRight();
        table.column("Bundle");
        for (AgentSummary a : agents) {
            boolean watchesDevices = a.devices() > 0;
            table.addRow().addContent(TerminalText.cells(a.name(), a.state(), watchesDevices ? a.devicesUp() + "/" + a.devices() : "-",
                    watchesDevices ? String.format(Locale.ROOT, "%.2f", a.eventsPerSecond()) : "-",
                    a.errors(), a.bundle() + " [" + a.bundleId() + "]"));
        }
        table.print(session.getConsole(), !noFormat);
        return null;
    }
}
