package io.amoskys.bus.command;

import io.amoskys.api.admin.TerminalText;
import io.amoskys.bus.internal.BusService;
import io.amoskys.bus.internal.QuarantinedEnvelope;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code amoskys:quarantine}: the envelopes the bus refused, newest first. */
@Command(scope = "amoskys", name = "quarantine", description = "Lists the envelopes the bus refused, newest first, with the reason.")
@Service
public class QuarantineCommand implements Action {
    @Option(name = "--limit", description = "How many rows (default 20)")
    int limit = 20;

    @Reference
    BusService bus;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream out = TerminalText.lines(session.getConsole());
        out.printf("%-6s  %-24s  %-24s  %-22s  %-24s  %8s  %s%n", "ID", "RECEIVED", "REASON", "PEER", "AGENT", "BYTES", "DETAIL");
        for (QuarantinedEnvelope q : bus.log().quarantined(limit)) {
            // The agent and the detail are what a refused envelope claimed: kept on their line.
            out.printf("%-6d  %-24s  %-24s  %-22s  %-24s  %8d  %s%n", q.id(), q.received(), q.reason(), TerminalText.printable(q.peer()),
                    TerminalText.printable(q.agentId()), q.size(), TerminalText.printable(q.detail()));
        }
        return null;
    }
}
