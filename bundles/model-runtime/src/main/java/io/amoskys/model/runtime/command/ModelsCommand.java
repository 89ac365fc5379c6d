package io.amoskys.model.runtime.command;

import io.amoskys.api.admin.TerminalText;
import io.amoskys.model.runtime.admin.ModelAdmin;
import io.amoskys.model.runtime.admin.ModelStatus;
import io.amoskys.model.runtime.admin.ShadowReport;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code amoskys:models}: the models, their versions and states; promotion, rollback, shadow reports. */
@Command(scope = "amoskys", name = "models",
        description = "Lists the ONNX models with their versions and states (active, shadow, standby, refused with "
                + "the reason). models | models promote NAME [VERSION] | models rollback NAME | models compare NAME")
@Service
public class ModelsCommand implements Action {

    @Argument(index = 0, name = "action", description = "list (default), promote, rollback or compare")
    String action = "list";

    @Argument(index = 1, name = "name", description = "The model's name (promote, rollback, compare)")
    String name;

    @Argument(index = 2, name = "version", description = "promote: the version to make active (default: the newest shadow)")
    String version;

    @Option(name = "--no-format", description = "Plain tab-separated output, for scripts")
    boolean noFormat;

    @Reference
    ModelAdmin models;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = TerminalText.lines(session.getConsole());
        switch (action) {
            case "list" -> list(out);
            case "promote" -> out.println(models.promote(require(name), version));
            case "rollback" -> out.println(models.rollback(require(name)));
            case "compare" -> compare(out, models.compare(require(name)));
            default -> throw new IllegalArgumentException("unknown action '" + action + "': list, promote, rollback or compare");
        }
        return null;
    }

    private void list(PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("no model bundles started");
        table.column("Name");
        table.column("Version");
        table.column("State");
        table.column("Threshold").alignRight();
        table.column("Rows").alignRight();
        table.column("Errors").alignRight();
        table.column("Mean call µs").alignRight();
        table.column("Bundle").alignRight();
        List<ModelStatus> all = models.models();
        for (ModelStatus m : all) {
            String state = m.reason() == null ? m.state() : m.state() + ": " + m.reason();
            String threshold = Double.isNaN(m.threshold()) ? "-" : String.format(Locale.ROOT, "%.4f", m.threshold());
            table.addRow().addContent(TerminalText.cells(m.name(), m.version(), state, threshold, m.rows(), m.errors(),
                    String.format(Locale.ROOT, "%.1f", m.meanCallMicros()), m.bundleId()));
        }
        table.print(session.getConsole(), !noFormat);
        all.stream().filter(m -> m.reason() != null)
                .forEach(m -> out.println(m.name() + " " + m.version() + " refused (" + m.reason() + "): " + m.detail()));
        withoutActiveVersion(all).forEach(n -> out.println("model " + n + " has no active version and scores nothing: "
                + "amoskys:models promote " + n + " VERSION"));
    }

    /**
     * Names with versions loaded but none active: after an upgrade the operator's last decision may
     * name a version no longer installed, and every new one waits in shadow or standby.
     */
    public static List<String> withoutActiveVersion(List<ModelStatus> statuses) {
        Set<String> active = statuses.stream().filter(m -> "active".equals(m.state())).map(ModelStatus::name)
                .collect(Collectors.toSet());
        return statuses.stream().filter(m -> m.reason() == null).map(ModelStatus::name).distinct()
                .filter(n -> !active.contains(n)).toList();
    }

    private void compare(PrintStream out, List<ShadowReport> reports) {
        if (reports.isEmpty()) {
            out.println("model " + name + " has no shadow version");
            return;
        }
        for (ShadowReport r : reports) {
            out.printf(Locale.ROOT, "%s: shadow %s against active %s%n", r.name(), r.shadowVersion(), r.activeVersion());
            out.printf(Locale.ROOT, "  rows compared     %d%n", r.rows());
            out.printf(Locale.ROOT, "  verdicts agree    %s (anomalous: active %d, shadow %d)%n",
                    r.rows() == 0 ? "-" : String.format(Locale.ROOT, "%.2f %%", 100 * r.agreement()),
                    r.activeFlagged(), r.shadowFlagged());
            out.printf(Locale.ROOT, "  score shift       mean %s, largest %.4f%n",
                    r.rows() == 0 ? "-" : String.format(Locale.ROOT, "%.4f", r.meanShift()), r.maxShift());
            out.printf(Locale.ROOT, "  call latency µs   active p50 %.1f p99 %.1f, shadow p50 %.1f p99 %.1f%n",
                    r.activeP50Micros(), r.activeP99Micros(), r.shadowP50Micros(), r.shadowP99Micros());
            out.printf(Locale.ROOT, "  shadow errors     %d%n", r.shadowErrors());
        }
    }

    private static String require(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("missing the model's name");
        }
        return name;
    }
}
