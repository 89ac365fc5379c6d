package io.amoskys.model.gbt;

import io.amoskys.model.format.Calibration;
import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The descriptor (docs/MODELS.md) of a trained classifier: its schema and columns, input
 * {@code features} and output {@code probability} ({@code [N, 1]}, so no {@code outputIndex}),
 * identity calibration (the output is a probability already), threshold 0.5, and the provenance.
 */
public final class GbtDescriptors {
    private GbtDescriptors() {}

    /** @param extraTraining added to the provenance (metrics, the recipe); nothing clock-dependent for a reproducible descriptor */
    public static ModelDescriptor describe(TrainedGbt model, String name, String version, Map<String, ?> extraTraining) {
        Map<String, Object> training = new LinkedHashMap<>(model.training());
        training.putAll(extraTraining);
        return ModelDescriptor.builder()
                .name(name)
                .version(version)
                .schema(model.schema())
                .features(model.features())
                .input(GbtOnnx.INPUT)
                .output(GbtOnnx.OUTPUT)
                .outputMeaning(TrainedGbt.OUTPUT_MEANING)
                .calibration(Calibration.identity())
                .threshold(model.threshold())
                .onnx(ModelBundleLayout.onnxPath(name, version), model.onnx())
                .training(training)
                .build();
    }
}
