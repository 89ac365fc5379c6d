package io.amoskys.feature.export.command;

import io.amoskys.api.admin.CaptureDecoder;
import io.amoskys.api.admin.TerminalText;
import io.amoskys.api.bus.EventLog;
import io.amoskys.api.feature.FeatureDefinition;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.feature.export.Exports;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code amoskys:features}: the feature catalogue, or, with {@code --from} and {@code --out}, the
 * feature vectors of a capture or of a stretch of the bus's log written to a file for training.
 */
@Command(scope = "amoskys", name = "features",
        description = "Lists every feature the installed stages declare (or prints docs/FEATURES.md with --markdown). "
                + "With --from FILE.pcap|TIME and --out FILE.(csv|jsonl|parquet): runs the capture's events (or the events "
                + "the bus's log committed from TIME to --to) through fresh copies of the stages and writes the vectors of "
                + "one kind, with the schema's name and version in the file.")
@Service
public class FeaturesCommand implements Action {

    @Option(name = "--from", description = "A capture file (pcap, pcapng), or a time (ISO-8601) where the bus's log range starts")
    @Completion(FileCompleter.class)
    String from;

    @Option(name = "--to", description = "End of the log's time range (ISO-8601; default now)")
    String to;

    @Option(name = "--out", description = "The file to write: .csv, .jsonl or .parquet")
    @Completion(FileCompleter.class)
    String out;

    @Option(name = "--kind", description = "The telemetry kind whose vectors are written (default flow)")
    String kind = "flow";

    @Option(name = "--label", description = "A label written in every row's label column (e.g. benign, scan)")
    String label = "";

    @Option(name = "--stages", description = "The chain of stages, comma-separated (default canonical,temporal,cross,domain,anomaly)")
    String stages;

    @Option(name = "--markdown", description = "Print the catalogue as docs/FEATURES.md")
    boolean markdown;

    @Reference(optional = true)
    List<FeatureSet> sets;

    @Reference(optional = true)
    CaptureDecoder decoder;

    @Reference(optional = true)
    EventLog log;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        List<FeatureSet> available = sets == null ? List.of() : sets;
        if (from == null && out == null) {
            if (markdown) {
                TerminalText.lines(session.getConsole()).print(Exports.markdown(available));
            } else {
                catalogue(available).print(session.getConsole());
            }
            return null;
        }
        if (from == null || out == null) {
            throw new IllegalArgumentException("an export needs both --from (a capture file or a time) and --out");
        }
        List<String> chain = stages == null ? null : Arrays.stream(stages.split(",")).map(String::strip).toList();
        Exports exports = new Exports(available, chain);
        Instant start = instant(from);
        String summary;
        if (start == null) {
            if (decoder == null) {
                throw new IllegalStateException("no capture decoder is installed (is the flow agent, amoskys-agent-flow, running?)");
            }
            summary = exports.fromCapture(decoder, Path.of(from), Path.of(out), kind, label);
        } else {
            if (log == null) {
                throw new IllegalStateException("the bus's log is not available (is amoskys-bus installed?)");
            }
            Instant end = to == null ? Instant.now() : Instant.parse(to);
            summary = exports.fromLog(log, start, end, Path.of(out), kind, label);
        }
        TerminalText.lines(session.getConsole()).println(summary);
        return null;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null; // a file name
        }
    }

    private static ShellTable catalogue(List<FeatureSet> sets) {
        ShellTable table = new ShellTable().emptyTableText("no feature stages installed");
        for (String column : new String[] {"Kind", "Feature", "Stage", "Unit", "Window"}) {
            table.column(column);
        }
        for (FeatureSet set : sets) {
            for (FeatureDefinition d : set.definitions()) {
                table.addRow().addContent(TerminalText.cells(d.kind(), d.name(), set.stage() + "." + set.version(), d.unit(), d.window()));
            }
        }
        return table;
    }
}
