package io.amoskys.bus.command;

import io.amoskys.api.admin.TerminalText;
import io.amoskys.bus.internal.BusService;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code amoskys:bus}: the log's size and every consumer's position. */
@Command(scope = "amoskys", name = "bus", description = "Shows the write-ahead log (envelopes, bytes, next offset), what it holds per agent, and each consumer's committed offset and lag.")
@Service
public class BusCommand implements Action {
    @Reference
    BusService bus;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream out = TerminalText.lines(session.getConsole());
        long next = bus.log().nextOffset();
        out.println("log: " + bus.log().storedEnvelopes() + " envelopes, " + bus.log().storedBytes() + " bytes, next offset " + next);
        for (var a : bus.log().agents()) {
            out.println("agent " + a.agentId() + ": " + a.envelopes() + " envelopes, sequences " + a.firstSequence()
                    + ".." + a.lastSequence() + ", " + a.events() + " events");
        }
        bus.log().consumers().forEach((consumer, committed) ->
                out.println("consumer " + consumer + ": committed " + committed + ", lag " + Math.max(0, next - 1 - committed)));
        return null;
    }
}
