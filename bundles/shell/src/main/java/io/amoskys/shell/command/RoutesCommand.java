package io.amoskys.shell.command;

import io.amoskys.api.admin.RouteFileDTO;
import io.amoskys.api.admin.RouteFiles;
import io.amoskys.api.admin.TerminalText;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
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

/** {@code amoskys:routes [list|reload]}: the YAML route files, what each runs, and why one was rejected. */
@Command(scope = "amoskys", name = "routes",
        description = "Lists the YAML route files of etc/amoskys/routes with their state and routes, "
                + "or reloads now: changed, added and removed files are applied and rejected ones tried again; "
                + "unchanged files keep running. Files are also reloaded by themselves when they change.")
@Service
public class RoutesCommand implements Action {

    @Argument(index = 0, name = "action", description = "list (the default) or reload", required = false)
    @Completion(values = {"list", "reload"}, value = StringsCompleter.class)
    String action = "list";

    @Option(name = "--no-format", description = "Plain tab-separated output, for scripts")
    boolean noFormat;

    @Reference
    RouteFiles routeFiles;

    @Reference
    Session session;

    @Override
    public Object execute() {
        List<RouteFileDTO> files = switch (action) {
            case "list" -> routeFiles.files();
            case "reload" -> routeFiles.reloadAll();
            default -> throw new IllegalArgumentException("unknown action '" + action + "': use list or reload");
        };
        PrintStream out = TerminalText.lines(session.getConsole());
        out.println("Route folder: " + routeFiles.directory());
        ShellTable table = new ShellTable().emptyTableText("no route files");
        table.column("File");
        table.column("State");
        table.column("Routes");
        table.column("Loaded");
        table.column("Error").maxSize(120).wrap();
        for (RouteFileDTO f : files) {
            table.addRow().addContent(TerminalText.cells(f.file, f.state, String.join(",", f.routeIds), Instant.ofEpochMilli(f.loadedAt),
                    f.error == null ? "" : f.error));
        }
        table.print(session.getConsole(), !noFormat);
        return null;
    }
}
