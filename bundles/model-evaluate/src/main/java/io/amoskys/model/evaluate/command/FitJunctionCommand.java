package io.amoskys.model.evaluate.command;

import io.amoskys.api.Detector;
import io.amoskys.api.PluginName;
import io.amoskys.api.admin.CaptureDecoder;
import io.amoskys.api.admin.TerminalText;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.feature.export.Exports;
import io.amoskys.model.evaluate.JunctionFit;
import io.amoskys.model.evaluate.LabelledCapture;
import io.amoskys.model.runtime.admin.ModelAdmin;
import io.amoskys.model.runtime.admin.ModelStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * {@code amoskys:fit-junction --on DIR [--write] DETECTOR...}: learns the score junction's weights
 * from the labelled captures of DIR (docs/JUNCTION.md).
 */
@Command(scope = "amoskys", name = "fit-junction",
        description = "amoskys:fit-junction --on DIR [--kind flow] [--write] DETECTOR... Replays every capture DIR/MANIFEST.tsv lists "
                + "through fresh feature stages, scores each vector with every named detector, and fits the score junction's "
                + "weights and bias (logistic regression on each detector's margin over its threshold, classes balanced). Prints "
                + "the weights with each detector's ROC AUC alone and the fused one; --write applies them to io.amoskys.junction "
                + "(etc/io.amoskys.junction.cfg) at once. A sequence model scores every vector's window, whatever the runtime's "
                + "windowStride. The vectors count in the models' metrics like live ones.")
@Service
public class FitJunctionCommand implements Action {
    private static final String NAME = "[A-Za-z0-9._-]{1,64}";
    private static final String JUNCTION_PID = "io.amoskys.junction";

    @Argument(index = 0, name = "detectors", required = true, multiValued = true,
            description = "The detectors to fuse, as routes name them (amoskys:detector/NAME): iforest gbt lstm transformer")
    List<String> names;

    @Option(name = "--on", required = true, description = "A folder of captures with a MANIFEST.tsv (columns file and category)")
    @Completion(FileCompleter.class)
    String on;

    @Option(name = "--kind", description = "The telemetry kind whose vectors are scored (default flow)")
    String kind = "flow";

    @Option(name = "--write", description = "Apply the fitted weights and bias to the running junction (and its .cfg file)")
    boolean write;

    @Reference(optional = true)
    List<FeatureSet> sets;

    @Reference(optional = true)
    CaptureDecoder decoder;

    @Reference(optional = true)
    ModelAdmin models;

    @Reference(optional = true)
    ConfigurationAdmin configurations;

    @Reference
    BundleContext context;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        if (decoder == null) {
            throw new IllegalStateException("no capture decoder is installed (is the flow agent, amoskys-agent-flow, running?)");
        }
        for (String name : names) {
            if (!name.matches(NAME)) {
                throw new IllegalArgumentException("'" + name + "' is not a detector name (letters, digits, '.', '_', '-')");
            }
        }
        Path folder = Path.of(on).toAbsolutePath().normalize();
        List<LabelledCapture> captures = LabelledCapture.listedIn(folder);
        Exports exports = new Exports(sets == null ? List.of() : sets, null);
        Map<String, Detector> detectors = new LinkedHashMap<>();
        List<ServiceReference<Detector>> references = new ArrayList<>();
        try {
            for (String name : names) {
                ServiceReference<Detector> reference = detector(name);
                references.add(reference);
                Detector detector = context.getService(reference);
                if (detector == null) {
                    throw new IllegalStateException("the detector " + name + " went away: try again");
                }
                // Every window of a sequence model, whatever windowStride: each detector's margin on every vector.
                detectors.put(name, models == null ? detector : models.everyWindow(name).orElse(detector));
            }
            JunctionFit.Result result = new JunctionFit(detectors, this::threshold,
                    (capture, sink) -> exports.vectors(decoder, capture, kind, sink)).run(captures);
            print(result);
            if (write) {
                apply(result);
            }
        } finally {
            references.forEach(context::ungetService);
        }
        return null;
    }

    private void print(JunctionFit.Result r) {
        PrintStream out = TerminalText.lines(session.getConsole());
        out.printf(Locale.ROOT, "%d %s vectors, %d rows (%d attack, %d benign), %d Newton steps, balanced log-loss %.4f%n", r.vectors(),
                kind, r.fit().rows(), r.attackRows(), r.fit().rows() - r.attackRows(), r.fit().iterations(), r.fit().logLoss());
        out.printf(Locale.ROOT, "%-16s %10s %10s %12s%n", "detector", "threshold", "weight", "ROC AUC alone");
        for (String name : names) {
            out.printf(Locale.ROOT, "%-16s %10.4f %10.4f %12.4f%n", name, threshold(name), r.fit().weights().getOrDefault(name, 0.0),
                    r.aucAlone().get(name));
        }
        out.printf(Locale.ROOT, "bias %.4f; fused ROC AUC %.4f (in-sample)%n", r.fit().bias(), r.aucFused());
        out.println("weights = " + r.fit().weightsSetting());
        out.printf(Locale.ROOT, "bias = %.4f%n", r.fit().bias());
    }

    private void apply(JunctionFit.Result r) throws Exception {
        if (configurations == null) {
            throw new IllegalStateException("no ConfigurationAdmin: the weights were printed but not applied");
        }
        Configuration config = configurations.getConfiguration(JUNCTION_PID, "?");
        Dictionary<String, Object> properties = config.getProperties() == null ? new Hashtable<>() : config.getProperties();
        properties.put("weights", r.fit().weightsSetting());
        properties.put("bias", String.format(Locale.ROOT, "%.4f", r.fit().bias()));
        config.update(properties);
        TerminalText.lines(session.getConsole()).println("applied to " + JUNCTION_PID + " (the junction restarts with them; entities' risk starts afresh)");
    }

    private ServiceReference<Detector> detector(String name) throws Exception {
        Collection<ServiceReference<Detector>> references =
                context.getServiceReferences(Detector.class, "(" + PluginName.PROPERTY + "=" + name + ")");
        if (references.isEmpty()) {
            throw new IllegalArgumentException("no detector named '" + name + "' is registered (amoskys:models lists the models)");
        }
        return Collections.max(references);
    }

    /** The active model version's threshold; 0.5 for a detector that is not a model. */
    private double threshold(String name) {
        if (models == null) {
            return 0.5;
        }
        return models.models().stream().filter(m -> m.name().equals(name) && "active".equals(m.state()) && !Double.isNaN(m.threshold()))
                .mapToDouble(ModelStatus::threshold).findFirst().orElse(0.5);
    }
}
