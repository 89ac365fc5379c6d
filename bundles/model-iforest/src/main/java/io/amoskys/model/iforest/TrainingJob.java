package io.amoskys.model.iforest;

import io.amoskys.api.admin.CaptureDecoder;
import io.amoskys.api.bus.EventLog;
import io.amoskys.feature.export.Exports;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.format.ModelSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;

/**
 * What {@code amoskys:train iforest} does, apart from the shell: gathers the vectors, trains,
 * describes, signs and writes the model bundle, telling the operator each step.
 */
public final class TrainingJob {
    private final Exports exports;
    private final CaptureDecoder decoder;
    private final EventLog log;
    private final IsolationForestParameters parameters;
    private final String kind;
    private final int maxRows;
    private final Consumer<String> say;

    /** @param decoder and {@code log} may be null when the source does not need them */
    public TrainingJob(Exports exports, CaptureDecoder decoder, EventLog log, IsolationForestParameters parameters, String kind,
            int maxRows, Consumer<String> say) {
        this.exports = exports;
        this.decoder = decoder;
        this.log = log;
        this.parameters = parameters;
        this.kind = kind;
        this.maxRows = maxRows;
        this.say = say;
    }

    /**
     * @param to the end of a log range, or null for now (ignored for captures)
     * @param version null for the next patch version
     * @param folder where the bundle goes; null for Karaf's deploy folder
     * @param context to see the versions installed; null outside OSGi
     * @return the bundle written
     */
    public Path run(String from, String to, String name, String version, Path folder, ModelSigner signer, BundleContext context)
            throws IOException, InterruptedException {
        TrainingSet set = gather(from, to);
        long started = System.nanoTime();
        TrainedIsolationForest model = IsolationForestTrainer.train(set, parameters);
        long millis = (System.nanoTime() - started) / 1_000_000;
        Path target = folder == null ? ModelBundles.deployFolder() : folder;
        String chosen = version == null ? ModelVersions.nextPatch(knownVersions(name, target, context)) : unused(name, version, target, context);
        ModelDescriptor descriptor = IsolationForestDescriptors.describe(model, name, chosen,
                Map.of("trainedAt", Instant.now().toString(), "trainingMillis", millis, "trainedWith", "amoskys:train iforest"));
        Path written = ModelBundles.write(target, descriptor, model.onnx(), signer);
        say.accept(String.format("model %s %s: %d vectors x %d features (%d constant ones dropped), %d trees of %d rows, threshold %.4f, "
                        + "trained in %d ms; signed by key %s", name, chosen, ((Number) model.training().get("rows")).intValue(),
                model.features().size(), ((List<?>) model.training().get("droppedConstantFeatures")).size(), parameters.trees(),
                model.forest().sampleSize(), model.threshold(), millis, signer.keyId()));
        say.accept("written to " + written + (folder == null ? ": Karaf installs it, and the model runtime starts it in shadow "
                + "beside the active version (amoskys:models)" : ""));
        return written;
    }

    private TrainingSet gather(String from, String to) throws IOException, InterruptedException {
        TrainingSet set = new TrainingSet(maxRows, parameters.seed());
        Instant start = instant(from);
        if (start != null) {
            if (log == null) {
                throw new IllegalStateException("the bus's log is not available (is amoskys-bus installed?)");
            }
            Instant end = to == null ? Instant.now() : Instant.parse(to);
            say.accept(TrainingSources.fromLog(exports, log, start, end, kind, set));
        } else {
            List<Path> captures = captures(Path.of(from));
            if (decoder == null) {
                throw new IllegalStateException("no capture decoder is installed (is the flow agent, amoskys-agent-flow, running?)");
            }
            TrainingSources.fromCaptures(exports, decoder, captures, kind, set).forEach(say);
        }
        say.accept(set.vectors() + " usable " + kind + " vectors" + (set.schema() == null ? "" : " of schema " + set.schema().name())
                + (set.notFinite() > 0 ? ", " + set.notFinite() + " left out for values that are not finite" : "")
                + (set.otherSchemas() > 0 ? ", " + set.otherSchemas() + " of other schemas left out" : "")
                + (set.vectors() > maxRows ? ", " + maxRows + " kept by uniform sampling" : ""));
        return set;
    }

    private static List<Path> captures(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            List<Path> captures = TrainingSources.baselineCaptures(source);
            if (captures.isEmpty()) {
                throw new IllegalArgumentException("no captures to train on in " + source + (Files.exists(source.resolve(TrainingSources.MANIFEST))
                        ? " (its MANIFEST.tsv labels none benign)" : " (no .pcap, .pcapng or .cap files)"));
            }
            return captures;
        }
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException("--from " + source + " is neither a capture file, a folder nor an ISO-8601 time");
        }
        return List.of(source);
    }

    private static List<String> knownVersions(String name, Path folder, BundleContext context) throws IOException {
        List<String> versions = new ArrayList<>(ModelVersions.inFolder(folder, name));
        if (context != null) {
            versions.addAll(ModelVersions.installed(context, name));
        }
        return versions;
    }

    private static String unused(String name, String version, Path folder, BundleContext context) throws IOException {
        if (knownVersions(name, folder, context).contains(version)) {
            throw new IllegalArgumentException("model " + name + " " + version + " exists already: give a higher --version, or none "
                    + "for the next patch");
        }
        return version;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null; // a file or folder
        }
    }
}
