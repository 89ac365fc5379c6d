package io.amoskys.agent.flow.command;

import io.amoskys.api.admin.RouteFiles;
import io.amoskys.api.admin.TerminalText;
import java.io.PrintStream;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code amoskys:capture list | [--filter BPF] start INTERFACE | stop INTERFACE}: live capture
 * routes into the flow agent. A capture is a route file ({@code capture-INTERFACE.yaml}) like any
 * other, so it survives restarts and shows in amoskys:routes; stop removes the file.
 */
@Command(scope = "amoskys", name = "capture",
        description = "Lists network interfaces, or starts and stops a live capture route from an interface "
                + "(pcap:live:INTERFACE) into the flow agent. Captures are route files in etc/amoskys/routes.")
@Service
public class CaptureCommand implements Action {
    static final String PREFIX = "capture-";

    @Argument(index = 0, name = "action", description = "list (the default), start or stop", required = false)
    @Completion(values = {"list", "start", "stop"}, value = StringsCompleter.class)
    String action = "list";

    @Argument(index = 1, name = "interface", description = "The interface to capture on", required = false)
    String nic;

    @Option(name = "-f", aliases = "--filter", description = "A BPF filter in tcpdump's syntax, for example 'not port 22'")
    String filter;

    @Reference
    RouteFiles routeFiles;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream out = TerminalText.lines(session.getConsole());
        switch (action) {
            case "list" -> list(out);
            case "start" -> start(out);
            case "stop" -> stop(out);
            default -> throw new IllegalArgumentException("unknown action '" + action + "': use list, start or stop");
        }
        return null;
    }

    private void list(PrintStream out) throws Exception {
        ShellTable table = new ShellTable().emptyTableText("no network interfaces");
        table.column("Interface");
        table.column("State");
        table.column("Addresses");
        table.column("Capturing");
        List<NetworkInterface> nics = new ArrayList<>(Collections.list(NetworkInterface.getNetworkInterfaces()));
        nics.sort((a, b) -> a.getName().compareTo(b.getName()));
        for (NetworkInterface n : nics) {
            String addresses = n.getInterfaceAddresses().stream()
                    .map(a -> a.getAddress().getHostAddress().replaceFirst("%.*", "") + "/" + a.getNetworkPrefixLength())
                    .collect(Collectors.joining(", "));
            table.addRow().addContent(TerminalText.cells(n.getName(), n.isUp() ? "up" : "down", addresses,
                    Files.exists(routeFile(n.getName())) ? "yes" : ""));
        }
        table.print(session.getConsole());
    }

    private void start(PrintStream out) throws Exception {
        String name = requireInterface();
        if (NetworkInterface.getByName(name) == null) {
            throw new IllegalArgumentException("no network interface '" + name + "' (amoskys:capture list shows them)");
        }
        // RAW{} keeps the filter's spaces and symbols out of Camel's URI parsing.
        String uri = "pcap:live:" + name + (filter == null || filter.isBlank() ? "" : "?filter=RAW{" + filter + "}");
        String yaml = "# Written by amoskys:capture start " + name + "; amoskys:capture stop " + name + " removes it.\n"
                + "- route:\n"
                + "    id: " + PREFIX + name + "\n"
                + "    from:\n"
                + "      uri: \"" + uri.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n"
                + "      steps:\n"
                + "        - to: amoskys:agent/flow\n";
        Files.writeString(routeFile(name), yaml);
        out.println("Capture route " + PREFIX + name + " written to " + routeFile(name) + "; amoskys:routes shows its state");
    }

    private void stop(PrintStream out) throws Exception {
        String name = requireInterface();
        if (!Files.deleteIfExists(routeFile(name))) {
            throw new IllegalArgumentException("no capture on '" + name + "'");
        }
        out.println("Capture route " + PREFIX + name + " removed");
    }

    private String requireInterface() {
        if (nic == null || !nic.matches("[A-Za-z0-9._@:-]+")) {
            throw new IllegalArgumentException("name the interface: amoskys:capture " + action + " INTERFACE");
        }
        return nic;
    }

    private Path routeFile(String name) {
        return Path.of(routeFiles.directory()).resolve(PREFIX + name + ".yaml");
    }
}
