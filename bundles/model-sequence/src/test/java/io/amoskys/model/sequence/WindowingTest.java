package io.amoskys.model.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recipes' windows: the runtime's rule (padding with the oldest vector, bad vectors left out), per entity. */
class WindowingTest {
    static final FeatureSchema SCHEMA = new FeatureSchema("flow:test.1", 1, List.of("noise", "a", "b"));

    static FeatureVector v(String entity, double a, double b) {
        return new FeatureVector(SCHEMA, entity, 0, new double[] {99, a, b}, List.of());
    }

    @Test
    void padsWithTheOldestVectorThenSlides() {
        Windowing windowing = new Windowing(3, Windowing.columns(SCHEMA.features(), List.of("b", "a")));
        assertArrayEquals(new float[] {10, 1, 10, 1, 10, 1}, windowing.add(v("h", 1, 10)));
        assertArrayEquals(new float[] {50, 5, 50, 5, 50, 5}, windowing.add(v("other", 5, 50)));
        assertArrayEquals(new float[] {10, 1, 10, 1, 20, 2}, windowing.add(v("h", 2, 20)));
        assertNull(windowing.add(v("h", Double.NaN, 25)), "a NaN gets no window");
        assertNull(windowing.add(v("h", 1e39, 25)), "nor a value too large for float32");
        assertArrayEquals(new float[] {10, 1, 20, 2, 30, 3}, windowing.add(v("h", 3, 30)), "and did not enter the history");
        assertArrayEquals(new float[] {20, 2, 30, 3, 40, 4}, windowing.add(v("h", 4, 40)));
    }
}
