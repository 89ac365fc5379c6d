package io.amoskys.junction.command;

import io.amoskys.api.admin.TerminalText;
import io.amoskys.junction.JunctionRule;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code amoskys:risk}: the riskiest entities by the score junction, with what drives each. */
@Command(scope = "amoskys", name = "risk", description = "Lists the entities the score junction rates riskiest: risk in [0, 1] "
        + "(decaying over time), severity, the detectors' shares (log-odds) and the rules that hit them")
@Service
public class RiskCommand implements Action {
    @Option(name = "--limit", description = "How many entities (default 20)")
    int limit = 20;

    @Option(name = "--no-format", description = "Plain tab-separated output, for scripts")
    boolean noFormat;

    @Reference
    JunctionRule junction;

    @Reference
    Session session;

    @Override
    public Object execute() {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, was " + limit);
        }
        PrintStream out = TerminalText.lines(session.getConsole());
        ShellTable table = new ShellTable().emptyTableText("no entity scored yet");
        table.column("Entity");
        table.column("Risk");
        table.column("Severity");
        table.column("As of");
        table.column("Detectors (log-odds)");
        table.column("Rule hits");
        for (JunctionRule.EntityThreat t : junction.riskiest(limit)) {
            table.addRow().addContent(TerminalText.cells(t.entity(), String.format(Locale.ROOT, "%.3f", t.risk()),
                    t.severity() == null ? "-" : t.severity().name().toLowerCase(Locale.ROOT),
                    t.atNanos() == Long.MIN_VALUE ? "-" : Instant.ofEpochSecond(0, t.atNanos()).toString(),
                    String.join(", ", t.detectors()), String.join(", ", t.rules())));
        }
        table.print(session.getConsole(), !noFormat);
        return null;
    }
}
