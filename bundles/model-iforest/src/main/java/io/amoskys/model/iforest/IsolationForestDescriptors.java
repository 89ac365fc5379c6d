package io.amoskys.model.iforest;

import io.amoskys.model.format.Calibration;
import io.amoskys.model.format.FeatureStats;
import io.amoskys.model.format.ModelBundleLayout;
import io.amoskys.model.format.ModelDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The descriptor (docs/MODELS.md) of a trained forest: its schema and columns, input and output
 * tensors, identity calibration (scores already lie in (0, 1]), the threshold (the {@code 1 - contamination} quantile of the training scores), and
 * the provenance with each feature's training mean and deviation.
 */
public final class IsolationForestDescriptors {
    private IsolationForestDescriptors() {}

    /** @param extraTraining added to the provenance (training time, who trained it); empty for a reproducible descriptor */
    public static ModelDescriptor describe(TrainedIsolationForest model, String name, String version, Map<String, ?> extraTraining) {
        Map<String, Object> training = new LinkedHashMap<>(model.training());
        training.put("featureStats", new FeatureStats(model.featureMeans(), model.featureStds()).toJson());
        training.putAll(extraTraining);
        return ModelDescriptor.builder()
                .name(name)
                .version(version)
                .schema(model.schema())
                .features(model.features())
                .input(IsolationForestOnnx.INPUT)
                .output(IsolationForestOnnx.OUTPUT)
                .outputMeaning(TrainedIsolationForest.OUTPUT_MEANING)
                .calibration(Calibration.identity())
                .threshold(model.threshold())
                .onnx(ModelBundleLayout.onnxPath(name, version), model.onnx())
                .training(training)
                .build();
    }
}
