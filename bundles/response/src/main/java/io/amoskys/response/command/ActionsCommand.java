package io.amoskys.response.command;

import io.amoskys.api.admin.TerminalText;
import io.amoskys.http.auth.Roles;
import io.amoskys.http.auth.ShellRoles;
import io.amoskys.response.admin.ActionDTO;
import io.amoskys.response.admin.ActionState;
import io.amoskys.response.admin.ReceiptDTO;
import io.amoskys.response.admin.ResponderDTO;
import io.amoskys.response.admin.ResponseAdmin;
import io.amoskys.response.admin.Verification;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.ShellUtil;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code amoskys:actions}: the responders' actions and their signed receipts. Viewers list, show
 * and verify; operators approve, reject and undo; admins arm and disarm responders and reset the
 * circuit breaker. Every change is receipted with the shell user who made it.
 */
@Command(scope = "amoskys", name = "actions",
        description = "Responders' actions (docs/RESPONSE.md). actions [--state S] [--limit N] | actions show ID | "
                + "actions approve|reject|undo ID | actions responders | actions arm|disarm RESPONDER | "
                + "actions breaker [reset] | actions verify. An action's id may be shortened to its first characters.")
@Service
public class ActionsCommand implements Action {
    @Argument(index = 0, name = "action",
            description = "list (default), show, approve, reject, undo, responders, arm, disarm, breaker or verify")
    String action = "list";

    @Argument(index = 1, name = "argument", description = "The action's id, the responder's name, or reset (breaker)")
    String argument;

    @Option(name = "--state", description = "list: only actions in these states, comma-separated "
            + "(awaiting_approval, queued, running, active, undo_queued, done, undone, failed, expired, rejected, dry_run, refused)")
    String state;

    @Option(name = "--limit", description = "list: at most this many, newest first (default 50)")
    int limit = 50;

    @Option(name = "--no-format", description = "Plain tab-separated output with full ids, for scripts")
    boolean noFormat;

    @Reference
    ResponseAdmin admin;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = TerminalText.lines(session.getConsole());
        String verb = action.toLowerCase(Locale.ROOT);
        switch (verb) {
            case "list", "ls" -> list(out);
            case "show" -> show(out, admin.action(required("show")).orElseThrow(() -> missing(argument)));
            case "approve" -> {
                ShellRoles.require(Roles.OPERATORS, "amoskys:actions approve");
                line(out, admin.approve(required("approve"), user()));
            }
            case "reject" -> {
                ShellRoles.require(Roles.OPERATORS, "amoskys:actions reject");
                line(out, admin.reject(required("reject"), user()));
            }
            case "undo" -> {
                ShellRoles.require(Roles.OPERATORS, "amoskys:actions undo");
                line(out, admin.undo(required("undo"), user()));
            }
            case "responders" -> responders(out);
            case "arm" -> {
                ShellRoles.require(Roles.ADMINS, "amoskys:actions arm");
                ResponderDTO r = admin.arm(required("arm"), user());
                out.println("Responder " + r.name + " is armed: its actions now run" + (r.approvalRequired ? " once approved" : ""));
            }
            case "disarm" -> {
                ShellRoles.require(Roles.ADMINS, "amoskys:actions disarm");
                ResponderDTO r = admin.disarm(required("disarm"), user());
                out.println("Responder " + r.name + " is disarmed: its actions are only described (dry-run)");
            }
            case "breaker" -> breaker(out);
            case "verify" -> verify(out);
            default -> throw new IllegalArgumentException("unknown action '" + action
                    + "': list, show, approve, reject, undo, responders, arm, disarm, breaker or verify");
        }
        return null;
    }

    private void list(PrintStream out) {
        List<ActionState> states = new ArrayList<>();
        if (state != null && !state.isBlank()) {
            for (String s : state.split(",")) {
                try {
                    states.add(ActionState.of(s.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown state '" + s.trim() + "'");
                }
            }
        }
        List<ActionDTO> actions = admin.actions(states, limit);
        if (noFormat) {
            actions.forEach(a -> out.println(String.join("\t", a.id, a.responder, a.state.label(), TerminalText.printable(a.verb),
                    TerminalText.printable(a.target), TerminalText.printable(a.alertId), Long.toString(a.createdMs), oneLine(a.output))));
            return;
        }
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Responder");
        table.column("State");
        table.column("Action");
        table.column("Alert");
        table.column("Created");
        table.column("Last outcome").maxSize(70);
        for (ActionDTO a : actions) {
            table.addRow().addContent(TerminalText.cells(a.id.substring(0, 8), a.responder, a.state.label(), a.verb + " " + a.target,
                    a.alertId.length() > 8 ? a.alertId.substring(0, 8) : a.alertId, time(a.createdMs), a.output));
        }
        table.print(session.getConsole());
    }

    private void show(PrintStream out, ActionDTO a) {
        out.println("Action      " + a.id);
        out.println("Responder   " + a.responder);
        out.println("State       " + a.state.label() + (a.dueMs > 0 ? " (next at " + time(a.dueMs) + ")" : ""));
        out.println("Action      " + TerminalText.printable(a.verb) + " " + TerminalText.printable(a.target) + (a.lastsMs > 0 ? " for " + a.lastsMs / 1000 + " s" : ""));
        out.println("Description " + TerminalText.printable(a.description));
        out.println("Alert       " + TerminalText.printable(a.alertId) + " (rule " + TerminalText.printable(a.rule) + ", entity " + TerminalText.printable(a.entity) + ")");
        out.println("Created     " + time(a.createdMs));
        out.println("Outcome     " + TerminalText.printable(a.output));
        if (a.decidedBy != null) {
            out.println("Decided by  " + a.decidedBy);
        }
        out.println("Receipts:");
        for (ReceiptDTO r : admin.receipts(a.id)) {
            out.printf(Locale.ROOT, "  #%d  %s  %-18s %s%n", r.seq, time(r.atMs), r.kind, r.hash.substring(0, 16));
        }
    }

    private void responders(PrintStream out) {
        if (noFormat) {
            admin.responders().forEach(r -> out.println(String.join("\t", r.name, r.present ? "installed" : "absent",
                    r.armed ? "armed" : "dry-run", r.approvalRequired ? "approval" : "-", r.undoable ? "undo" : "-",
                    oneLine(String.join("; ", r.problems)))));
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Responder");
        table.column("Installed");
        table.column("Armed");
        table.column("Approval");
        table.column("Undo");
        table.column("Changed");
        table.column("Problems").maxSize(80);
        for (ResponderDTO r : admin.responders()) {
            table.addRow().addContent(TerminalText.cells(r.name, r.present ? "yes" : "no", r.armed ? "armed" : "dry-run",
                    r.approvalRequired ? "required" : "no", r.undoable ? "yes" : "no",
                    r.armedChangedMs == 0 ? "" : time(r.armedChangedMs) + " by " + r.armedBy, String.join("; ", r.problems)));
        }
        table.print(session.getConsole());
    }

    private void breaker(PrintStream out) {
        if ("reset".equalsIgnoreCase(argument)) {
            ShellRoles.require(Roles.ADMINS, "amoskys:actions breaker reset");
            out.println(admin.resetBreaker(user()) ? "Circuit breaker closed" : "The circuit breaker was closed already");
            return;
        }
        String open = admin.breaker();
        out.println(open.isEmpty() ? "Circuit breaker closed" : "Circuit breaker OPEN: " + open);
    }

    private void verify(PrintStream out) {
        Verification v = admin.verify();
        if (v.intact) {
            out.println(v.receipts + " receipts, chain intact, all signed by " + v.keyId + "; last hash " + v.lastHash
                    + (v.prunedThroughSeq > 0 ? "; receipts 1 to " + v.prunedThroughSeq + " removed by retention" : ""));
        } else {
            out.println("BROKEN at receipt " + v.firstBrokenSeq + " of " + v.receipts + ": " + v.problem);
        }
    }

    private void line(PrintStream out, ActionDTO a) {
        out.println("Action " + a.id + " " + a.state.label() + ": " + TerminalText.printable(a.verb) + " "
                + TerminalText.printable(a.target));
    }

    private String required(String verb) {
        if (argument == null || argument.isBlank()) {
            throw new IllegalArgumentException("amoskys:actions " + verb + " needs "
                    + (verb.equals("arm") || verb.equals("disarm") ? "a responder's name" : "an action's id"));
        }
        return argument;
    }

    private static NoSuchElementException missing(String id) {
        return new NoSuchElementException("no action " + id + " (amoskys:actions lists them)");
    }

    private static String user() {
        String user = ShellUtil.getCurrentUserName();
        return user == null || user.isBlank() ? "shell" : user;
    }

    /** Scripts read one action per line: tabs and line breaks of an output are escaped. */
    private static String oneLine(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
    }

    private static String time(long ms) {
        return Instant.ofEpochMilli(ms).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
