package io.amoskys.model.runtime;

import io.amoskys.api.Detector;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import java.util.Arrays;
import java.util.List;

/**
 * A model's detector that scores every vector's window whatever {@code windowStride} says, for
 * evaluation ({@code amoskys:evaluate}, {@code amoskys:fit-junction}), which measures the model on
 * every window. Otherwise the live detector: the active version answers, shadows follow, the
 * vectors enter the same windows and count in the same metrics.
 */
record EveryWindow(ModelFamily family) implements Detector {
    @Override
    public Score score(FeatureVector vector) {
        return family.scoreBatch(List.of(vector), true)[0];
    }

    @Override
    public List<Score> scoreAll(List<FeatureVector> vectors) {
        return Arrays.asList(family.scoreBatch(vectors, true));
    }
}
