package io.amoskys.model.iforest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The threshold rule: the {@code 1 - contamination} quantile of the training scores, interpolated as numpy does. */
class ThresholdTest {
    @Test
    void theQuantileInterpolatesBetweenTheClosestRanksAsNumpyDoes() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(9.1, IsolationForestTrainer.interpolatedQuantile(sorted, 0.9), 1e-12); // numpy.percentile(1..10, 90)
        assertEquals(5.5, IsolationForestTrainer.interpolatedQuantile(sorted, 0.5), 1e-12);
        assertEquals(1, IsolationForestTrainer.interpolatedQuantile(sorted, 0), 1e-12);
        assertEquals(10, IsolationForestTrainer.interpolatedQuantile(sorted, 1), 1e-12);
        assertEquals(3, IsolationForestTrainer.interpolatedQuantile(new double[] {3}, 0.9), 1e-12);
    }

    @Test
    void theContaminationIsAShareBelowOneHalf() {
        assertEquals(0.1, IsolationForestParameters.DEFAULTS.contamination());
        assertThrows(IllegalArgumentException.class, () -> new IsolationForestParameters(100, 256, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new IsolationForestParameters(100, 256, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new IsolationForestParameters(100, 256, 1, Double.NaN));
    }
}
