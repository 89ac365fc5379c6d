package io.amoskys.alerts.command;

import io.amoskys.alerts.internal.Durations;
import io.amoskys.alerts.internal.EvidenceEvents;
import io.amoskys.api.admin.TerminalText;
import io.amoskys.api.alert.AlertDTO;
import io.amoskys.api.alert.AlertHistoryDTO;
import io.amoskys.api.alert.AlertQuery;
import io.amoskys.api.alert.AlertScoreDTO;
import io.amoskys.api.alert.AlertState;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.api.alert.AlertTransition;
import io.amoskys.api.alert.ContributionDTO;
import io.amoskys.api.alert.SuppressionDTO;
import io.amoskys.api.bus.EventLog;
import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.api.event.TelemetryEvent;
import io.amoskys.http.auth.Roles;
import io.amoskys.http.auth.ShellRoles;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
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
 * {@code amoskys:alerts}: lists the stored alerts with filters, shows one with its evidence,
 * explanation and history, moves alerts along their lifecycle, and manages suppressions. Karaf
 * reads options before the first argument; this command also takes them after its arguments
 * ({@code alerts fp ID --suppress --expires 7d}).
 */
@Command(scope = "amoskys", name = "alerts",
        description = "Alerts and suppressions. alerts [--state S] [--severity MIN] [--rule R] [--entity E] [--tag T] "
                + "[--since 1h] [--limit N] [--count] | alerts show ID | alerts ack|resolve ID [--comment TEXT] | "
                + "alerts fp ID [--suppress [--expires 7d]] | alerts suppress --rule R --entity E [--expires 7d] [--reason TEXT] "
                + "| alerts suppressions [--all] | alerts unsuppress ID. An alert's id may be shortened to its first characters.")
@Service
public class AlertsCommand implements Action {
    private static final Set<String> FLAGS = Set.of("--count", "--suppress", "--all", "--no-format");
    private static final Set<String> VALUED = Set.of("--state", "--severity", "--rule", "--entity", "--tag", "--since",
            "--limit", "--offset", "--comment", "--expires", "--reason");

    @Argument(index = 0, name = "action",
            description = "list (default), show, ack, resolve, fp, suppress, suppressions or unsuppress")
    String action = "list";

    @Argument(index = 1, name = "arguments", multiValued = true,
            description = "The alert's or suppression's id (show, ack, resolve, fp, unsuppress); options may follow it")
    List<String> arguments;

    @Option(name = "--state", description = "list: only alerts in these states (new, acknowledged, resolved, false_positive; "
            + "open, closed), comma-separated")
    String state;

    @Option(name = "--severity", description = "list: only alerts of this severity or higher (info, low, medium, high, critical)")
    String severity;

    @Option(name = "--rule", description = "list, suppress: the rule (list: * and ? match like the shell's patterns)")
    String rule;

    @Option(name = "--entity", description = "list, suppress: the entity, or a pattern (10.0.0.*)")
    String entity;

    @Option(name = "--tag", description = "list: only alerts with this tag (attack.t1046)")
    String tag;

    @Option(name = "--since", description = "list: only alerts admitted since then: 1h (ago), 2026-11-26T10:00:00Z, 2026-11-26")
    String since;

    @Option(name = "--limit", description = "list: at most this many (default 50, at most 10000)")
    int limit = 50;

    @Option(name = "--offset", description = "list: skip this many first")
    int offset;

    @Option(name = "--count", description = "list: only how many alerts match")
    boolean count;

    @Option(name = "--comment", aliases = "-m", description = "ack, resolve, fp: why (kept in the alert's history)")
    String comment;

    @Option(name = "--suppress", description = "fp: also suppress further alerts of the rule on the entity")
    boolean suppress;

    @Option(name = "--expires", description = "suppress, fp --suppress: the suppression ends after 30m, 12h, 7d, ... (default never)")
    String expires;

    @Option(name = "--reason", description = "suppress: why (kept with the suppression)")
    String reason;

    @Option(name = "--all", description = "suppressions: also those expired or removed")
    boolean all;

    @Option(name = "--no-format", description = "Plain tab-separated output with full ids, for scripts")
    boolean noFormat;

    /** Actions that change alerts or suppressions: operator or admin, as over REST. */
    private static final Set<String> CHANGES = Set.of("ack", "acknowledge", "resolve", "fp", "false-positive", "false_positive",
            "suppress", "unsuppress");

    @Reference
    AlertStore alerts;

    @Reference
    Session session;

    @Reference(optional = true)
    EventLog log;

    @Override
    public Object execute() {
        List<String> positional = takeTrailingOptions(arguments == null ? List.of() : arguments);
        PrintStream out = TerminalText.lines(session.getConsole());
        String verb = action.toLowerCase(Locale.ROOT);
        if (CHANGES.contains(verb)) {
            ShellRoles.require(Roles.OPERATORS, "amoskys:alerts " + verb); // the ACL lets viewers list and show
        }
        switch (verb) {
            case "list", "ls" -> {
                none(positional, "list");
                list(out);
            }
            case "show" -> show(out, alerts.get(resolve(one(positional, "show"))).orElseThrow());
            case "ack", "acknowledge" -> change(out, one(positional, "ack"), AlertState.ACKNOWLEDGED);
            case "resolve" -> change(out, one(positional, "resolve"), AlertState.RESOLVED);
            case "fp", "false-positive", "false_positive" -> change(out, one(positional, "fp"), AlertState.FALSE_POSITIVE);
            case "suppress" -> {
                none(positional, "suppress");
                suppress(out);
            }
            case "suppressions" -> {
                none(positional, "suppressions");
                suppressions(out);
            }
            case "unsuppress" -> {
                SuppressionDTO s = alerts.unsuppress(one(positional, "unsuppress"), user());
                out.println("suppression " + s.id + " removed (rule " + TerminalText.printable(s.rule) + ", entity "
                        + TerminalText.printable(s.entity) + ", " + s.hits
                        + " alerts suppressed)");
            }
            default -> throw new IllegalArgumentException("unknown action '" + action
                    + "': list, show, ack, resolve, fp, suppress, suppressions or unsuppress");
        }
        return null;
    }

    /**
     * Karaf stops reading options at the first argument; options written after the id arrive
     * among the arguments and are taken here.
     */
    List<String> takeTrailingOptions(List<String> args) {
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (name.equals("-m")) {
                name = "--comment";
            }
            if (FLAGS.contains(name)) {
                flag(name);
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                option(name, value);
            } else if (a.startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + a + " (see amoskys:alerts --help)");
            } else {
                positional.add(a);
            }
        }
        return positional;
    }

    private void flag(String name) {
        switch (name) {
            case "--count" -> count = true;
            case "--suppress" -> suppress = true;
            case "--all" -> all = true;
            default -> noFormat = true;
        }
    }

    private void option(String name, String value) {
        switch (name) {
            case "--state" -> state = value;
            case "--severity" -> severity = value;
            case "--rule" -> rule = value;
            case "--entity" -> entity = value;
            case "--tag" -> tag = value;
            case "--since" -> since = value;
            case "--limit" -> limit = integer(name, value);
            case "--offset" -> offset = integer(name, value);
            case "--comment" -> comment = value;
            case "--expires" -> expires = value;
            default -> reason = value;
        }
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes a number, not '" + value + "'");
        }
    }

    private static void none(List<String> positional, String action) {
        if (!positional.isEmpty()) {
            throw new IllegalArgumentException(action + " takes no argument, but was given " + String.join(" ", positional));
        }
    }

    private static String one(List<String> positional, String action) {
        if (positional.size() != 1) {
            throw new IllegalArgumentException(action + " takes one id" + (positional.isEmpty() ? "" : ", but was given "
                    + String.join(" ", positional)) + ": amoskys:alerts " + action + " ID");
        }
        return positional.get(0);
    }

    private static String user() {
        String user = ShellUtil.getCurrentUserName();
        return user == null || user.isBlank() ? "shell" : user;
    }

    /** The full id of the alert {@code idOrPrefix} names: the id itself, or the only one that starts with it. */
    String resolve(String idOrPrefix) {
        if (alerts.get(idOrPrefix).isPresent()) {
            return idOrPrefix;
        }
        AlertQuery q = new AlertQuery();
        q.idPrefix = idOrPrefix;
        q.limit = 2;
        List<AlertDTO> found = alerts.list(q);
        if (found.isEmpty()) {
            throw new NoSuchElementException("no alert " + idOrPrefix + " (amoskys:alerts lists them)");
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException(idOrPrefix + " starts the ids of several alerts: type more of it");
        }
        return found.get(0).id;
    }

    private AlertQuery query() {
        AlertQuery q = new AlertQuery();
        if (state != null) {
            q.states = List.of(state);
        }
        q.minSeverity = severity;
        q.rule = rule;
        q.entity = entity;
        q.tag = tag;
        if (since != null) {
            q.sinceMillis = Durations.since(since, System.currentTimeMillis());
        }
        q.limit = limit;
        q.offset = offset;
        return q;
    }

    private void list(PrintStream out) {
        AlertQuery q = query();
        long total = alerts.count(q);
        if (count) {
            out.println(total);
            return;
        }
        List<AlertDTO> found = alerts.list(q);
        long now = System.currentTimeMillis();
        ShellTable table = new ShellTable().emptyTableText("no alerts" + (filtered() ? " match" : " stored"));
        table.column("Id");
        table.column("Severity");
        table.column("State");
        table.column("Rule");
        table.column("Entity");
        table.column("Count").alignRight();
        table.column("Last");
        table.column("Title").maxSize(60);
        List<Object[]> rows = new ArrayList<>();
        for (AlertDTO a : found) {
            rows.add(row(noFormat ? a.id : shortId(a.id), a.severity, a.state, a.rule, a.entity, a.count,
                    noFormat ? Instant.ofEpochMilli(a.lastAdmittedMillis).toString() : Durations.shortly(now - a.lastAdmittedMillis) + " ago",
                    a.title));
        }
        print(out, table, rows);
        if (!noFormat && total > q.offset + found.size()) {
            out.println("showing " + (q.offset + 1) + " to " + (q.offset + found.size()) + " of " + total
                    + " (--offset " + (q.offset + found.size()) + " for the next ones)");
        }
    }

    private boolean filtered() {
        return state != null || severity != null || rule != null || entity != null || tag != null || since != null;
    }

    static String shortId(String id) {
        return id.length() <= 13 ? id : id.substring(0, 8);
    }

    private static String time(long millis) {
        return millis == 0 ? "-" : Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String eventTime(long nanos) {
        return Instant.ofEpochSecond(0, nanos).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private void show(PrintStream out, AlertDTO a) {
        out.println("Alert " + a.id);
        out.printf(Locale.ROOT, "  %-12s %s%n", "severity", a.severity);
        out.printf(Locale.ROOT, "  %-12s %s (since %s)%n", "state", a.state, time(a.stateChangedMillis));
        out.printf(Locale.ROOT, "  %-12s %s%n", "rule", TerminalText.printable(a.rule));
        out.printf(Locale.ROOT, "  %-12s %s%n", "entity", TerminalText.printable(a.entity));
        out.printf(Locale.ROOT, "  %-12s %s%n", "title", TerminalText.printable(a.title));
        out.printf(Locale.ROOT, "  %-12s %d (first seen %s, last seen %s)%n", "count", a.count, eventTime(a.firstSeenNanos),
                eventTime(a.lastSeenNanos));
        out.printf(Locale.ROOT, "  %-12s %s, last admitted %s%n", "stored", time(a.createdMillis), time(a.lastAdmittedMillis));
        if (!a.tags.isEmpty()) {
            out.printf(Locale.ROOT, "  %-12s %s%n", "tags", TerminalText.printable(String.join(", ", a.tags)));
        }
        if (!a.groupBy.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            a.groupBy.forEach((k, v) -> pairs.add(k + "=" + v));
            out.printf(Locale.ROOT, "  %-12s %s%n", "group by", TerminalText.printable(String.join(", ", pairs)));
        }
        if (!a.modelVersions.isEmpty()) {
            out.printf(Locale.ROOT, "  %-12s %s%n", "models", String.join(", ", a.modelVersions));
        }
        if (a.explanation != null && !a.explanation.isBlank()) {
            out.println("Explanation");
            a.explanation.lines().forEach(l -> out.println("  " + l));
        }
        out.println("Evidence: " + a.eventIdsKept + " events" + (a.eventIdsDropped > 0 ? " (" + a.eventIdsDropped + " more not kept)" : ""));
        for (EvidenceEvents.Resolved r : EvidenceEvents.resolve(log, a.eventIds)) {
            out.println("  " + r.id() + "  " + (r.stored() == null ? r.missing() : describe(r.stored())));
        }
        if (!a.scores.isEmpty()) {
            out.println("Scores: " + a.scores.size() + (a.scoresDropped > 0 ? " (" + a.scoresDropped + " more not kept)" : ""));
            for (AlertScoreDTO s : a.scores) {
                out.printf(Locale.ROOT, "  %s %s  %.3f  %s  %s%s%n", s.detector, s.modelVersion, s.value, TerminalText.printable(s.entity),
                        eventTime(s.timestampNanos), s.eventIds.isEmpty() ? "" : "  events " + String.join(", ", s.eventIds));
                for (ContributionDTO c : s.contributions) {
                    out.printf(Locale.ROOT, "      %s = %s (weight %.3f)%n", TerminalText.printable(c.feature), number(c.value), c.weight);
                }
            }
        }
        out.println("History" + (a.history.isEmpty() ? ": none (new since " + time(a.createdMillis) + ")" : ""));
        for (AlertHistoryDTO h : a.history) {
            out.printf(Locale.ROOT, "  %s  %s  %s -> %s%s%s%n", time(h.atMillis), h.user, h.fromState, h.toState,
                    h.comment == null ? "" : "  \"" + TerminalText.printable(h.comment) + "\"",
                    h.suppressionId == null ? "" : "  (suppression " + h.suppressionId + ")");
        }
    }

    /** One stored event on a line: kind, entity, time, place in the log, labels (clipped). */
    private static String describe(LoggedEvent stored) {
        TelemetryEvent e = stored.event();
        String labels = e.labels().toString();
        return TerminalText.printable(e.kind() + "  " + e.entityId() + "  " + eventTime(e.timestampNanos()) + "  log " + stored.offset() + "/"
                + stored.index() + "  " + (labels.length() > 160 ? labels.substring(0, 157) + "..." : labels));
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private void change(PrintStream out, String idOrPrefix, AlertState to) {
        if (suppress && to != AlertState.FALSE_POSITIVE) {
            throw new IllegalArgumentException("--suppress goes with fp only");
        }
        if (expires != null && !suppress) {
            throw new IllegalArgumentException("--expires goes with --suppress (fp ID --suppress --expires 7d)");
        }
        AlertTransition t = new AlertTransition();
        t.alertId = resolve(idOrPrefix);
        t.state = to.label();
        t.user = user();
        t.comment = comment;
        t.suppress = suppress;
        t.suppressForMillis = expires == null ? 0 : Durations.parse(expires).toMillis();
        AlertDTO a = alerts.transition(t);
        AlertHistoryDTO last = a.history.get(a.history.size() - 1);
        out.println("alert " + a.id + ": " + last.fromState + " -> " + last.toState);
        if (last.suppressionId != null) {
            out.println("suppression " + last.suppressionId + " added: rule " + TerminalText.printable(a.rule) + " on entity " + TerminalText.printable(a.entity)
                    + (t.suppressForMillis == 0 ? ", until removed" : ", until " + time(System.currentTimeMillis() + t.suppressForMillis)));
        }
    }

    private void suppress(PrintStream out) {
        if (entity == null || entity.isBlank()) {
            throw new IllegalArgumentException("suppress needs --entity E (an entity or a pattern such as 10.0.0.*), "
                    + "and usually --rule R (default: every rule)");
        }
        SuppressionDTO s = new SuppressionDTO();
        s.rule = rule == null ? "*" : rule;
        s.entity = entity;
        s.reason = reason;
        s.createdBy = user();
        long forMillis = expires == null ? 0 : Durations.parse(expires).toMillis();
        s.expiresMillis = forMillis == 0 ? 0 : System.currentTimeMillis() + forMillis;
        SuppressionDTO made = alerts.suppress(s);
        out.println("suppression " + made.id + " added: rule " + TerminalText.printable(made.rule) + " on entity "
                + TerminalText.printable(made.entity)
                + (made.expiresMillis == 0 ? ", until removed" : ", until " + time(made.expiresMillis)));
    }

    private void suppressions(PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText(all ? "no suppressions" : "no suppressions in force");
        table.column("Id");
        table.column("Rule");
        table.column("Entity");
        table.column("State");
        table.column("Expires");
        table.column("Hits").alignRight();
        table.column("Last hit");
        table.column("By");
        table.column("Reason").maxSize(50);
        List<Object[]> rows = new ArrayList<>();
        for (SuppressionDTO s : alerts.suppressions(all)) {
            rows.add(row(s.id, s.rule, s.entity, s.state, s.expiresMillis == 0 ? "never" : time(s.expiresMillis),
                    s.hits, time(s.lastHitMillis), s.createdBy,
                    s.alertId == null ? s.reason : s.reason + " (alert " + (noFormat ? s.alertId : shortId(s.alertId)) + ")"));
        }
        print(out, table, rows);
    }

    private static Object[] row(Object... cells) {
        return cells;
    }

    /** The table, or with --no-format its rows as they are: tab-separated, not padded or cut. */
    private void print(PrintStream out, ShellTable table, List<Object[]> rows) {
        if (!noFormat) {
            rows.forEach(r -> table.addRow().addContent(TerminalText.cells(r)));
            table.print(session.getConsole(), true);
            return;
        }
        for (Object[] row : rows) {
            List<String> cells = new ArrayList<>();
            for (Object cell : row) {
                cells.add(TerminalText.printable(cell));
            }
            out.println(String.join("\t", cells));
        }
    }
}
