package io.amoskys.model.format;

import java.util.Arrays;
import java.util.List;

/** Where things are in a model bundle, for the writer and the runtime. */
public final class ModelBundleLayout {
    /** The manifest header listing the bundle's descriptors, comma-separated. */
    public static final String MODELS_HEADER = "Amoskys-Models";
    /** The extender capability the model runtime provides and model bundles require. */
    public static final String EXTENDER = "io.amoskys.models";
    /** 1.1: the runtime reads sequence models (descriptor {@code window}); bundles of those require it. */
    public static final String EXTENDER_VERSION = "1.1.0";
    public static final String SIGNATURE_SUFFIX = ".sig";
    public static final String SYMBOLIC_NAME_PREFIX = "amoskys.model.";

    private ModelBundleLayout() {}

    /** {@code models/NAME.json}. */
    public static String descriptorPath(String name) {
        return "models/" + name + ".json";
    }

    /** {@code models/NAME.json.sig}. */
    public static String signaturePath(String descriptorPath) {
        return descriptorPath + SIGNATURE_SUFFIX;
    }

    /** {@code models/NAME-VERSION.onnx}: the usual place of the ONNX file. */
    public static String onnxPath(String name, String version) {
        return "models/" + name + "-" + version + ".onnx";
    }

    /** The descriptor paths an {@value #MODELS_HEADER} header lists. */
    public static List<String> descriptorPaths(String header) {
        if (header == null) {
            return List.of();
        }
        return Arrays.stream(header.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
