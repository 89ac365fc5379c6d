package io.amoskys.model.format;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A valid descriptor for tests to start from. */
final class Descriptors {
    static final byte[] ONNX = "not really onnx".getBytes(StandardCharsets.UTF_8);

    private Descriptors() {}

    static ModelDescriptor.Builder valid() {
        return ModelDescriptor.builder()
                .name("iforest")
                .version("1.2.3")
                .schema("flow:canonical.1+temporal.1")
                .features(List.of("bytes", "packets", "duration"))
                .input("X")
                .output("score")
                .outputMeaning("High: the flow is unlike the training traffic")
                .calibration(Calibration.minmax(0.3, 0.8))
                .threshold(0.7)
                .onnx("models/iforest-1.2.3.onnx", ONNX)
                .training(Map.of("rows", 20000, "data", "capture.pcap", "metrics", Map.of("auc", 0.93)));
    }
}
