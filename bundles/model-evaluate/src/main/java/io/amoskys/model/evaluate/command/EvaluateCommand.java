package io.amoskys.model.evaluate.command;

import io.amoskys.api.Detector;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.CaptureDecoder;
import io.amoskys.api.admin.TerminalText;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.feature.export.Exports;
import io.amoskys.model.evaluate.Evaluation;
import io.amoskys.model.evaluate.EvaluationReport;
import io.amoskys.model.evaluate.LabelledCapture;
import io.amoskys.model.evaluate.ReportJson;
import io.amoskys.model.evaluate.ReportText;
import io.amoskys.model.runtime.admin.ModelAdmin;
import io.amoskys.model.runtime.admin.ModelStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * {@code amoskys:evaluate --on DIR [--json OUT] [--kind flow] MODEL} (Karaf reads options before
 * arguments): the labelled captures of DIR through fresh stages, scored by the model's detector.
 */
@Command(scope = "amoskys", name = "evaluate",
        description = "amoskys:evaluate --on DIR [--json OUT] [--kind flow] MODEL. Replays every capture DIR/MANIFEST.tsv lists "
                + "(columns file and category; benign* is benign, any other category an attack class) through fresh copies of the "
                + "feature stages, scores the vectors with the model's active version and prints ROC AUC (overall and per attack "
                + "category), precision and recall at the model's threshold, and per-capture detection. A sequence model scores "
                + "every vector's window, whatever the runtime's windowStride. The vectors count in the model's metrics and "
                + "shadow comparisons like live ones.")
@Service
public class EvaluateCommand implements Action {
    /** The model runtime's names (docs/MODELS.md); checked so that the service filter below stays well-formed. */
    private static final String MODEL_NAME = "[A-Za-z0-9._-]{1,64}";

    @Argument(index = 0, name = "model", required = true, description = "The model's name, as in amoskys:models")
    String model;

    @Option(name = "--on", required = true, description = "A folder of captures with a MANIFEST.tsv (columns file and category)")
    @Completion(FileCompleter.class)
    String on;

    @Option(name = "--json", description = "Also write the report to this file as JSON")
    @Completion(FileCompleter.class)
    String json;

    @Option(name = "--kind", description = "The telemetry kind whose vectors are scored (default flow)")
    String kind = "flow";

    @Reference(optional = true)
    List<FeatureSet> sets;

    @Reference(optional = true)
    CaptureDecoder decoder;

    @Reference(optional = true)
    ModelAdmin models;

    @Reference
    BundleContext context;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        if (decoder == null) {
            throw new IllegalStateException("no capture decoder is installed (is the flow agent, amoskys-agent-flow, running?)");
        }
        if (models == null) {
            throw new IllegalStateException("the model runtime is not running (feature amoskys-model-runtime)");
        }
        if (!model.matches(MODEL_NAME)) {
            throw new IllegalArgumentException("'" + model + "' is not a model name (letters, digits, '.', '_', '-')");
        }
        Path folder = Path.of(on).toAbsolutePath().normalize();
        List<LabelledCapture> captures = LabelledCapture.listedIn(folder);
        Exports exports = new Exports(sets == null ? List.of() : sets, null);
        ServiceReference<Detector> reference = detector();
        Detector detector = context.getService(reference);
        if (detector == null) {
            throw new IllegalStateException("the detector " + model + " went away: try again");
        }
        // Every window, whatever windowStride: the report measures the model on every vector.
        Detector everyWindow = models.everyWindow(model).orElse(detector);
        EvaluationReport report;
        try {
            report = new Evaluation(model, everyWindow, (capture, sink) -> exports.vectors(decoder, capture, kind, sink))
                    .run(captures, kind, folder.toString(), this::threshold);
        } finally {
            context.ungetService(reference);
        }
        TerminalText.lines(session.getConsole()).print(ReportText.render(report));
        if (json != null) {
            Files.writeString(Path.of(json), ReportJson.render(report));
            TerminalText.lines(session.getConsole()).println("JSON report written to " + Path.of(json).toAbsolutePath());
        }
        return null;
    }

    /** The detector routes reach as amoskys:detector/MODEL: among several, the highest ranking (then the oldest). */
    private ServiceReference<Detector> detector() throws Exception {
        Collection<ServiceReference<Detector>> references =
                context.getServiceReferences(Detector.class, "(" + PluginName.PROPERTY + "=" + model + ")");
        if (references.isEmpty()) {
            throw new IllegalArgumentException("no detector named '" + model + "' is registered (amoskys:models lists the models)");
        }
        return Collections.max(references);
    }

    private OptionalDouble threshold(String version) {
        return models.models().stream()
                .filter(m -> m.name().equals(model) && m.version().equals(version) && !Double.isNaN(m.threshold()))
                .mapToDouble(ModelStatus::threshold).findFirst();
    }
}
