package io.amoskys.agent.flow.command;

import io.amoskys.agent.flow.FlowAgent;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;

/** {@code amoskys:replay FILE}: a capture file through the flow agent and the live routes. */
@Command(scope = "amoskys", name = "replay",
        description = "Feeds a pcap or pcapng file through the flow agent: its flows go to every route reading "
                + "from amoskys:agent/flow. Ends with one line: packets, flows, errors by class, time, packets/s.")
@Service
public class ReplayCommand implements Action {

    @Argument(index = 0, name = "file", description = "The capture file (pcap or pcapng)", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Reference
    FlowAgent agent;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        session.getConsole().println(agent.replay(Path.of(file)));
        return null;
    }
}
