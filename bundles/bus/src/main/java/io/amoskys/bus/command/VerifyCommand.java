package io.amoskys.bus.command;

import io.amoskys.api.admin.TerminalText;
import io.amoskys.bus.internal.BusService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code amoskys:verify}: proves the write-ahead log was not altered, dropped from or reordered. */
@Command(scope = "amoskys", name = "verify",
        description = "Recomputes the write-ahead log's hash chain from the stored envelopes and checks every "
                + "signature. Prints 'log intact' with what it checked, or the first commit or envelope that differs.")
@Service
public class VerifyCommand implements Action {
    @Reference
    BusService bus;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        TerminalText.lines(session.getConsole()).println(bus.verifyLog());
        return null;
    }
}
