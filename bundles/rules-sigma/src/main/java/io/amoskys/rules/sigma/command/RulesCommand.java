package io.amoskys.rules.sigma.command;

import io.amoskys.api.admin.TerminalText;
import io.amoskys.rules.sigma.RuleRefusal;
import io.amoskys.rules.sigma.RuleStatus;
import io.amoskys.rules.sigma.RulesAdmin;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code amoskys:rules}: the Sigma rules in force with their origin, status and hits, and the refused ones with file:line and reason. */
@Command(scope = "amoskys", name = "rules",
        description = "Lists the Sigma rules in force (source bundle or file, level, status, ATT&CK tags, hits, alerts) and the "
                + "refused ones with file:line and reason")
@Service
public class RulesCommand implements Action {
    @Option(name = "--no-format", description = "Plain tab-separated output, for scripts")
    boolean noFormat;

    @Option(name = "--refused", description = "Only the refused rules")
    boolean refusedOnly;

    @Reference
    RulesAdmin rules;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = TerminalText.lines(session.getConsole());
        if (!refusedOnly) {
            ShellTable table = new ShellTable().emptyTableText("no Sigma rules in force (rule folder " + rules.folder() + ")");
            table.column("Rule");
            table.column("Type");
            table.column("Level");
            table.column("Status");
            table.column("Tags");
            table.column("Hits").alignRight();
            table.column("Alerts").alignRight();
            table.column("Source");
            for (RuleStatus r : rules.rules()) {
                table.addRow().addContent(TerminalText.cells(r.id(), r.type(), r.level(), r.status(), String.join(",", r.tags()), r.hits(),
                        r.alerts(), r.source() + ":" + r.line()));
            }
            table.print(session.getConsole(), !noFormat);
        }
        List<RuleRefusal> refused = rules.refusals();
        if (!refused.isEmpty() || refusedOnly) {
            out.println(refused.size() + " refused:");
            for (RuleRefusal r : refused) {
                out.println("  " + r.source() + ":" + r.line() + ": " + r.rule() + ": " + r.reason());
            }
        }
        return null;
    }
}
