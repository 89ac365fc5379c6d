package io.amoskys.api;

import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import java.util.ArrayList;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Scores feature vectors: statistical detectors, ONNX models, vendor detectors. */
@ConsumerType
public interface Detector {
    /**
     * @return the score with its evidence, or {@code null} when this detector does not apply to
     *     the vector's schema
     */
    Score score(FeatureVector vector);

    /**
     * Scores several vectors at once; detectors that gain from batching (ONNX Runtime) override
     * it. The result has one entry per input, {@code null} where the detector does not apply.
     */
    default List<Score> scoreAll(List<FeatureVector> vectors) {
        List<Score> scores = new ArrayList<>(vectors.size());
        for (FeatureVector vector : vectors) {
            scores.add(score(vector));
        }
        return scores;
    }
}
