package io.amoskys.model.evaluate;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import io.amoskys.model.iforest.TrainedIsolationForest;

/**
 * Our Isolation Forest as a detector, scored by its Java scorer: the model runtime's ONNX session
 * gives the same scores within 1e-6 (model-iforest's RealVectorsTest), without needing ONNX Runtime here.
 */
record ForestDetector(String version, TrainedIsolationForest model) implements Detector {

    @Override
    public Score score(FeatureVector vector) {
        return Score.builder().detector("iforest").modelVersion(version).about(vector).value(score(model, vector)).build();
    }

    /** The model's columns picked from the vector by name, as the runtime does. */
    static double score(TrainedIsolationForest model, FeatureVector vector) {
        double[] row = new double[model.features().size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = vector.get(model.features().get(i));
        }
        return model.forest().score(row);
    }
}
