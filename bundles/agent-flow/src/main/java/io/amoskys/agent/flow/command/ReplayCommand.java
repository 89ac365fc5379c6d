package io.amoskys.agent.flow.command;

import io.amoskys.agent.flow.FlowAgent;
import io.amoskys.api.admin.LogReplay;
import io.amoskys.api.admin.TerminalText;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;

/**
 * {@code amoskys:replay FILE}: a capture file through the flow agent and the live routes.
 * {@code amoskys:replay --from T [--to T] CONSUMER}: a stretch of the bus's log again through the
 * routes reading {@code amoskys:bus/CONSUMER}.
 */
@Command(scope = "amoskys", name = "replay",
        description = "Feeds a pcap or pcapng file through the flow agent (its flows reach the routes through the bus); "
                + "ends with one line: packets, flows, errors by class, time, packets/s. With --from, re-runs the events "
                + "the bus's log committed in that time range through the routes reading amoskys:bus/CONSUMER.")
@Service
public class ReplayCommand implements Action {

    @Argument(index = 0, name = "fileOrConsumer",
            description = "The capture file (pcap or pcapng), or with --from the bus consumer whose routes re-run the range",
            required = true)
    @Completion(FileCompleter.class)
    String target;

    @Option(name = "--from", description = "Start of the log's time range (ISO-8601, e.g. 2026-11-26T10:00:00Z)")
    String from;

    @Option(name = "--to", description = "End of the log's time range (ISO-8601; default now)")
    String to;

    @Reference
    FlowAgent agent;

    @Reference(optional = true)
    LogReplay log;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        if (from == null) {
            TerminalText.lines(session.getConsole()).println(agent.replay(Path.of(target)));
            return null;
        }
        if (log == null) {
            throw new IllegalStateException("the platform core offers no log replay (is amoskys-core installed?)");
        }
        Instant start = Instant.parse(from);
        Instant end = to == null ? Instant.now() : Instant.parse(to);
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("--to " + end + " is before --from " + start);
        }
        TerminalText.lines(session.getConsole()).println(log.replay(target, start, end));
        return null;
    }
}
