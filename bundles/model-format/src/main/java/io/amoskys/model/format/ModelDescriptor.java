package io.amoskys.model.format;

import static io.amoskys.model.format.DescriptorRules.NAME;
import static io.amoskys.model.format.DescriptorRules.SHA256;
import static io.amoskys.model.format.DescriptorRules.VERSION;
import static io.amoskys.model.format.DescriptorRules.checkedFeatures;
import static io.amoskys.model.format.DescriptorRules.matching;
import static io.amoskys.model.format.DescriptorRules.onnxPath;
import static io.amoskys.model.format.DescriptorRules.sortedCopy;
import static io.amoskys.model.format.DescriptorRules.text;
import static io.amoskys.model.format.DescriptorRules.utf8;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.camel.util.json.DeserializationException;
import org.apache.camel.util.json.Jsoner;

/**
 * A model's descriptor ({@code models/NAME.json}, docs/MODELS.md): immutable and valid once
 * made. {@link #toJson()} gives canonical bytes (fixed field order, sorted {@code training}
 * keys), so the same model always gives the same file, and the same signature.
 */
public final class ModelDescriptor {
    /** The fields, in the order {@link #toJson()} writes them. */
    public static final List<String> FIELDS = List.of("name", "version", "schema", "features", "window", "input", "output",
            "outputIndex", "outputMeaning", "calibration", "threshold", "onnx", "onnxSha256", "training");

    private final String name;
    private final String version;
    private final String schema;
    private final List<String> features;
    private final int window;
    private final String input;
    private final String output;
    private final int outputIndex;
    private final String outputMeaning;
    private final Calibration calibration;
    private final double threshold;
    private final String onnx;
    private final String onnxSha256;
    private final Map<String, Object> training;
    private final FeatureStats featureStats;
    private final byte[] canonical;

    /** The most vectors one window may hold: the runtime keeps that many per entity. */
    public static final int MAX_WINDOW = 256;

    private ModelDescriptor(Builder b) {
        this.name = matching("name", b.name, NAME, "letters, digits and . _ -, at most 64, not starting with . _ -");
        this.version = matching("version", b.version, VERSION, "MAJOR.MINOR.PATCH");
        this.schema = text("schema", b.schema);
        this.features = checkedFeatures(b.features);
        if (b.window < 1 || b.window > MAX_WINDOW) {
            throw new DescriptorException("window", "must be a whole number of vectors from 1 to " + MAX_WINDOW + ", was " + b.window);
        }
        this.window = b.window;
        this.input = text("input", b.input);
        this.output = text("output", b.output);
        if (b.outputIndex < -1) {
            throw new DescriptorException("outputIndex", "must be >= 0, was " + b.outputIndex);
        }
        this.outputIndex = b.outputIndex;
        this.outputMeaning = text("outputMeaning", b.outputMeaning);
        if (b.calibration == null) {
            throw new DescriptorException("calibration", "is missing");
        }
        this.calibration = b.calibration;
        if (!(b.threshold >= 0 && b.threshold <= 1)) {
            throw new DescriptorException("threshold", "must be a calibrated score in [0, 1], was " + b.threshold);
        }
        this.threshold = b.threshold;
        this.onnx = onnxPath(b.onnx);
        this.onnxSha256 = matching("onnxSha256", b.onnxSha256, SHA256, "64 lowercase hex digits");
        if (b.training == null) {
            throw new DescriptorException("training", "is missing (an object, {} if nothing is known)");
        }
        this.training = sortedCopy("training", b.training);
        this.featureStats = training.containsKey("featureStats") ? FeatureStats.fromJson(training.get("featureStats")) : null;
        if (featureStats != null && featureStats.size() != features.size()) {
            throw new DescriptorException("training", "featureStats cover " + featureStats.size()
                    + " features, the model has " + features.size());
        }
        this.canonical = CanonicalJson.write(jsonObject()).getBytes(StandardCharsets.UTF_8);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this descriptor's values, to make a changed copy. */
    public Builder toBuilder() {
        return builder().name(name).version(version).schema(schema).features(features).window(window).input(input).output(output)
                .outputIndex(outputIndex).outputMeaning(outputMeaning).calibration(calibration).threshold(threshold)
                .onnx(onnx, onnxSha256).training(training);
    }

    /** Reads a descriptor file; the error names the field at fault. */
    public static ModelDescriptor parse(byte[] json) {
        Object parsed;
        try {
            parsed = Jsoner.deserialize(utf8(json));
        } catch (DeserializationException e) {
            throw new DescriptorException(null, "the descriptor is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> object)) {
            throw new DescriptorException(null, "the descriptor must be a JSON object");
        }
        for (Object key : object.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new DescriptorException(String.valueOf(key), "unknown field (the fields are " + FIELDS + ")");
            }
        }
        return new JsonFields(object).toBuilder().build();
    }

    /** The canonical descriptor file: the bytes that are signed. */
    public byte[] toJson() {
        return canonical.clone();
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public String schema() {
        return schema;
    }

    public List<String> features() {
        return features;
    }

    /**
     * The number of consecutive vectors of one entity the model reads at once: 1 (the field is
     * absent) for a model of single vectors, input {@code [N, F]}; W > 1 for a sequence model,
     * input {@code [N, W, F]}, the window ending at the scored vector, oldest first.
     */
    public int window() {
        return window;
    }

    public String input() {
        return input;
    }

    public String output() {
        return output;
    }

    /** The column of a {@code [N, C]} output holding the raw score, if the output has columns. */
    public OptionalInt outputIndex() {
        return outputIndex < 0 ? OptionalInt.empty() : OptionalInt.of(outputIndex);
    }

    public String outputMeaning() {
        return outputMeaning;
    }

    public Calibration calibration() {
        return calibration;
    }

    public double threshold() {
        return threshold;
    }

    /** The ONNX file's path in the bundle. */
    public String onnx() {
        return onnx;
    }

    public String onnxSha256() {
        return onnxSha256;
    }

    /** Provenance, free-form: nested maps (sorted), lists, strings, numbers, booleans. */
    public Map<String, Object> training() {
        return training;
    }

    public Optional<FeatureStats> featureStats() {
        return Optional.ofNullable(featureStats);
    }

    /** Hex SHA-256, as {@code onnxSha256} holds it. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelDescriptor other && Arrays.equals(canonical, other.canonical);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(canonical);
    }

    @Override
    public String toString() {
        return "ModelDescriptor[" + name + " " + version + "]";
    }

    private Map<String, Object> jsonObject() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("version", version);
        json.put("schema", schema);
        json.put("features", features);
        if (window != 1) {
            json.put("window", window); // absent means 1: older descriptors keep their bytes
        }
        json.put("input", input);
        json.put("output", output);
        if (outputIndex >= 0) {
            json.put("outputIndex", outputIndex);
        }
        json.put("outputMeaning", outputMeaning);
        json.put("calibration", calibration.toJson());
        json.put("threshold", threshold);
        json.put("onnx", onnx);
        json.put("onnxSha256", onnxSha256);
        json.put("training", training);
        return json;
    }

    /** Builds descriptors; {@link #build()} checks every rule. Not thread-safe. */
    public static final class Builder {
        private String name;
        private String version;
        private String schema;
        private List<String> features;
        private int window = 1;
        private String input;
        private String output;
        private int outputIndex = -1;
        private String outputMeaning;
        private Calibration calibration = Calibration.identity();
        private double threshold = Double.NaN;
        private String onnx;
        private String onnxSha256;
        private Map<?, ?> training = Map.of();

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        public Builder features(List<String> features) {
            this.features = features == null ? null : new ArrayList<>(features);
            return this;
        }

        /** Vectors per window: 1 (the default) for single vectors, W > 1 for a sequence model. */
        public Builder window(int window) {
            this.window = window;
            return this;
        }

        public Builder input(String input) {
            this.input = input;
            return this;
        }

        public Builder output(String output) {
            this.output = output;
            return this;
        }

        /** The column of a {@code [N, C]} output to read; -1 for none. */
        public Builder outputIndex(int outputIndex) {
            this.outputIndex = outputIndex;
            return this;
        }

        public Builder outputMeaning(String outputMeaning) {
            this.outputMeaning = outputMeaning;
            return this;
        }

        public Builder calibration(Calibration calibration) {
            this.calibration = calibration;
            return this;
        }

        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** The ONNX file's path in the bundle and its hex SHA-256. */
        public Builder onnx(String path, String sha256) {
            this.onnx = path;
            this.onnxSha256 = sha256;
            return this;
        }

        /** The ONNX file's path in the bundle and its content, whose SHA-256 is taken. */
        public Builder onnx(String path, byte[] model) {
            return onnx(path, sha256(model));
        }

        /** Provenance: {@code data}, {@code rows}, {@code code}, {@code parameters}, {@code metrics}, ... */
        public Builder training(Map<String, ?> training) {
            this.training = training;
            return this;
        }

        public ModelDescriptor build() {
            return new ModelDescriptor(this);
        }
    }
}
