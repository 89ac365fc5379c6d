package io.amoskys.shell.completers;

import io.amoskys.api.PluginKind;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes plugin kinds: agent, stage, detector, rule, responder. */
@Service
public class PluginKindCompleter implements Completer {
    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter kinds = new StringsCompleter();
        for (PluginKind kind : PluginKind.values()) {
            kinds.getStrings().add(kind.uriName());
        }
        return kinds.complete(session, commandLine, candidates);
    }
}
