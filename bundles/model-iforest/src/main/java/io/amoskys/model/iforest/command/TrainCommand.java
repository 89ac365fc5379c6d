package io.amoskys.model.iforest.command;

import io.amoskys.api.admin.CaptureDecoder;
import io.amoskys.api.admin.TerminalText;
import io.amoskys.api.bus.EventLog;
import io.amoskys.api.feature.FeatureSet;
import io.amoskys.feature.export.Exports;
import io.amoskys.model.format.ModelSigner;
import io.amoskys.model.iforest.IsolationForestParameters;
import io.amoskys.model.iforest.TrainingJob;
import io.amoskys.model.iforest.TrainingSet;
import java.nio.file.Path;
import java.util.List;
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

/**
 * {@code amoskys:train --from SOURCE iforest} (Karaf reads options before arguments): trains an Isolation Forest on the feature vectors of
 * a capture, a folder of baseline captures or a stretch of the bus's log, and deploys it as a new
 * signed model version, which the model runtime starts in shadow beside the active one.
 */
@Command(scope = "amoskys", name = "train",
        description = "amoskys:train --from SOURCE [options] iforest. Trains a model on feature vectors and hot-deploys it as a new signed model bundle (deploy/NAME-VERSION.jar): "
                + "it starts in shadow beside the active version (amoskys:models promote makes it active). SOURCE is a capture file, "
                + "a folder of captures (only those its MANIFEST.tsv labels benign*, if it has one) or a time (ISO-8601) where a "
                + "range of the bus's log starts (--to ends it). Vectors come from fresh copies of the feature stages.")
@Service
public class TrainCommand implements Action {

    @Argument(index = 0, name = "algorithm", required = true, description = "The model to train: iforest (Isolation Forest)")
    String algorithm;

    @Option(name = "--from", required = true,
            description = "A capture file, a folder of captures (benign ones per its MANIFEST.tsv), or the start of a log range (ISO-8601)")
    @Completion(FileCompleter.class)
    String from;

    @Option(name = "--to", description = "End of the log's time range (ISO-8601; default now)")
    String to;

    @Option(name = "--name", description = "The model's name, which routes use as amoskys:detector/NAME (default iforest)")
    String name = "iforest";

    @Option(name = "--version", description = "MAJOR.MINOR.PATCH (default: the next patch above the highest version installed or in deploy/)")
    String version;

    @Option(name = "--trees", description = "Number of trees (default 100)")
    int trees = IsolationForestParameters.DEFAULTS.trees();

    @Option(name = "--sample", description = "Rows drawn for each tree (default 256)")
    int sample = IsolationForestParameters.DEFAULTS.sampleSize();

    @Option(name = "--seed", description = "Random seed: the same data and seed give the same model (default 1)")
    long seed = IsolationForestParameters.DEFAULTS.seed();

    @Option(name = "--contamination", description = "The share of the training vectors that score at or above the model's threshold: "
            + "the threshold is the (1 - contamination) quantile of their scores (default 0.1)")
    double contamination = IsolationForestParameters.DEFAULT_CONTAMINATION;

    @Option(name = "--kind", description = "The telemetry kind whose vectors train the model (default flow)")
    String kind = "flow";

    @Option(name = "--max-rows", description = "At most this many vectors are kept, sampled uniformly (default 100000)")
    int maxRows = TrainingSet.DEFAULT_MAX_ROWS;

    @Option(name = "--out", description = "Write the model bundle into this folder instead of Karaf's deploy/")
    @Completion(FileCompleter.class)
    String out;

    @Reference(optional = true)
    List<FeatureSet> sets;

    @Reference(optional = true)
    CaptureDecoder decoder;

    @Reference(optional = true)
    EventLog log;

    @Reference(optional = true)
    ModelSigner signer;

    @Reference
    BundleContext context;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        if (!"iforest".equals(algorithm)) {
            throw new IllegalArgumentException("cannot train '" + algorithm + "': the trainer here is iforest (Isolation Forest)");
        }
        if (signer == null) {
            throw new IllegalStateException("no model signer: is the model runtime (feature amoskys-model-runtime) running?");
        }
        TrainingJob job = new TrainingJob(new Exports(sets == null ? List.of() : sets, null), decoder, log,
                new IsolationForestParameters(trees, sample, seed, contamination), kind, maxRows, TerminalText.lines(session.getConsole())::println);
        job.run(from, to, name, version, out == null ? null : Path.of(out), signer, context);
        return null;
    }
}
