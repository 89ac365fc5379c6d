package io.amoskys.shell.command;

import io.amoskys.api.admin.EndpointDTO;
import io.amoskys.api.admin.PlatformStatus;
import io.amoskys.api.admin.PluginDTO;
import io.amoskys.api.admin.RouteDTO;
import io.amoskys.api.admin.TerminalText;
import io.amoskys.shell.completers.PluginKindCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code amoskys:status}: plugins by kind, routes with counters, plugin endpoints with held messages. */
@Command(scope = "amoskys", name = "status",
        description = "Shows plugins by kind, routes with their counters, and plugin endpoints with "
                + "delivered, held and dead-lettered messages.")
@Service
public class StatusCommand implements Action {

    @Option(name = "-k", aliases = "--kind", description = "Show only plugins and endpoints of this kind")
    @Completion(PluginKindCompleter.class)
    String kind;

    @Option(name = "--no-format", description = "Plain tab-separated output, for scripts")
    boolean noFormat;

    @Reference
    PlatformStatus status;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = TerminalText.lines(session.getConsole());
        ShellTable plugins = new ShellTable().emptyTableText("no plugins registered");
        plugins.column("Kind");
        plugins.column("Name");
        plugins.column("State");
        plugins.column("Bundle");
        for (PluginDTO p : status.plugins()) {
            if (kind == null || kind.equals(p.kind)) {
                plugins.addRow().addContent(TerminalText.cells(p.kind, p.name, p.active ? "active" : "shadowed", p.bundle + " [" + p.bundleId + "]"));
            }
        }
        ShellTable routes = new ShellTable().emptyTableText("no routes");
        routes.column("Route");
        routes.column("State");
        routes.column("From");
        routes.column("Exchanges").alignRight();
        routes.column("Failed").alignRight();
        routes.column("Inflight").alignRight();
        routes.column("Source");
        for (RouteDTO r : status.routes()) {
            routes.addRow().addContent(TerminalText.cells(r.id, r.state, r.from, r.exchangesTotal, r.exchangesFailed, r.exchangesInflight,
                    r.source == null ? "-" : r.source));
        }
        ShellTable endpoints = new ShellTable().emptyTableText("no plugin endpoints in use");
        endpoints.column("Endpoint");
        endpoints.column("Plugin");
        endpoints.column("Delivered").alignRight();
        endpoints.column("Filtered").alignRight();
        endpoints.column("Failed").alignRight();
        endpoints.column("Held").alignRight();
        endpoints.column("DeadLettered").alignRight();
        for (EndpointDTO e : status.endpoints()) {
            if (kind == null || kind.equals(e.kind)) {
                endpoints.addRow().addContent(TerminalText.cells(e.uri, e.available ? "present" : "MISSING", e.delivered, e.filtered,
                        e.failed, e.held + "/" + e.holdCapacity, e.deadLettered));
            }
        }
        out.println("Plugins");
        plugins.print(session.getConsole(), !noFormat);
        out.println();
        out.println("Routes");
        routes.print(session.getConsole(), !noFormat);
        out.println();
        out.println("Endpoints");
        endpoints.print(session.getConsole(), !noFormat);
        out.println();
        out.println("Dead letters since start: " + status.deadLettered());
        return null;
    }
}
