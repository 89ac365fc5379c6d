package io.amoskys.model.iforest;

import io.amoskys.model.format.FeatureColumns;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingSetTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("flow:canonical.1", 1, List.of("a", "b"));

    private static FeatureVector vector(FeatureSchema schema, double a, double b) {
        return new FeatureVector(schema, "h", 0, new double[] {a, b}, List.of());
    }

    @Test
    void aReservoirKeepsAtMostItsCapacityAndTheSameRowsForASeed() {
        TrainingSet first = new TrainingSet(100, 5);
        TrainingSet second = new TrainingSet(100, 5);
        for (int i = 0; i < 10_000; i++) {
            first.accept(vector(SCHEMA, i, -i));
            second.accept(vector(SCHEMA, i, -i));
        }
        assertEquals(10_000, first.vectors());
        assertEquals(100, first.rows().length);
        assertArrayEquals(first.rows(), second.rows());
        // uniform over the stream: the kept rows come from all of it, not only the first 100
        double meanKept = java.util.Arrays.stream(first.rows()).mapToDouble(r -> r[0]).average().orElseThrow();
        assertTrue(meanKept > 3000 && meanKept < 7000, "mean of the kept row numbers " + meanKept);
    }

    @Test
    void valuesThatAreNotFiniteInFloat32AreLeftOutAndCounted() {
        TrainingSet set = new TrainingSet(10, 1);
        set.accept(vector(SCHEMA, 1, 2));
        set.accept(vector(SCHEMA, Double.NaN, 2));
        set.accept(vector(SCHEMA, 1e300, 2)); // finite as a double, infinite as the model's float32
        assertEquals(1, set.vectors());
        assertEquals(2, set.notFinite());
    }

    @Test
    void vectorsOfAnotherSchemaThanTheFirstAreLeftOutAndCounted() {
        TrainingSet set = new TrainingSet(10, 1);
        set.accept(vector(SCHEMA, 1, 2));
        set.accept(vector(new FeatureSchema("flow:canonical.2", 1, List.of("a", "b")), 1, 2));
        set.accept(vector(SCHEMA, 3, 4));
        assertEquals(SCHEMA, set.schema());
        assertEquals(2, set.vectors());
        assertEquals(1, set.otherSchemas());
    }

    @Test
    void constantColumnsAreDroppedAndTheOthersDescribed() {
        float[][] rows = {{1, 5, 0}, {3, 5, 0}, {5, 5, -0f}};
        FeatureColumns columns = FeatureColumns.varying(List.of("a", "b", "c"), rows);
        assertEquals(List.of("a"), columns.names());
        assertEquals(List.of("b", "c"), columns.dropped());
        assertEquals(3, columns.means()[0], 1e-12);
        assertEquals(Math.sqrt(8.0 / 3), columns.stds()[0], 1e-12);
        assertArrayEquals(new float[][] {{1}, {3}, {5}}, columns.project(rows));
    }

    @Test
    void theThresholdQuantileIsTheNearestRank() {
        double[] sorted = new double[200];
        java.util.Arrays.setAll(sorted, i -> i);
        assertEquals(197, IsolationForestTrainer.quantile(sorted, 0.99)); // rank ceil(198) = 198th value
        assertEquals(99, IsolationForestTrainer.quantile(sorted, 0.5));
        assertEquals(5, IsolationForestTrainer.quantile(new double[] {5}, 0.99));
    }
}
