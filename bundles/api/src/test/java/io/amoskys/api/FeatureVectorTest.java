package io.amoskys.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureVectorTest {
    private static final FeatureSchema ONE = new FeatureSchema("k:one", 1, List.of("a"));
    private static final FeatureSchema TWO = new FeatureSchema("k:two", 1, List.of("a", "b"));
    private static final FeatureSchema THREE = new FeatureSchema("k:three", 1, List.of("a", "b", "c"));

    @Test
    void appendingNeverChangesWhatAVectorShows() {
        FeatureVector one = FeatureVector.wrap(ONE, "e", 5, new double[] {1}, List.of("ev:1"));
        FeatureVector two = one.append(TWO, new double[] {2});
        FeatureVector three = two.append(THREE, new double[] {3});
        // A second append to the same vector (a branch of the route that extends it too) must not
        // write over the first one's column.
        FeatureVector otherThree = two.append(THREE, new double[] {30});
        FeatureVector otherTwo = one.append(TWO, new double[] {20});
        assertArrayEquals(new double[] {1}, one.toArray());
        assertArrayEquals(new double[] {1, 2}, two.toArray());
        assertArrayEquals(new double[] {1, 2, 3}, three.toArray());
        assertArrayEquals(new double[] {1, 2, 30}, otherThree.toArray());
        assertArrayEquals(new double[] {1, 20}, otherTwo.toArray());
        assertEquals(List.of("ev:1"), three.sourceEventIds());
        assertEquals(5, three.timestampNanos());
        assertEquals(3, three.size());
        assertEquals(3.0, three.get("c"));
        double[] copied = new double[4];
        two.copyTo(copied, 1);
        assertArrayEquals(new double[] {0, 1, 2, 0}, copied);
    }

    @Test
    void aVectorShowsNothingPastItsSizeAndRefusesAWrongSchema() {
        FeatureVector two = FeatureVector.wrap(ONE, "e", 0, new double[] {1}, List.of()).append(TWO, new double[] {2});
        assertThrows(IndexOutOfBoundsException.class, () -> two.get(2));
        assertThrows(IllegalArgumentException.class, () -> two.append(TWO, new double[] {3}));
    }
}
