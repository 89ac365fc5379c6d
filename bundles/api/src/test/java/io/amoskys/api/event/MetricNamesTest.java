package io.amoskys.api.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link MetricNames#indexOf} answers what a search of the sorted names answers, for names in it and not. */
class MetricNamesTest {
    @Test
    void indexOfFindsEveryNameAtItsPlaceInNameOrderAndNoOther() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int size = random.nextInt(70);
            List<String> names = new ArrayList<>();
            while (names.size() < size) {
                String name = "m" + random.nextInt(size * 3 + 1) + (random.nextBoolean() ? "_fwd" : "");
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
            MetricNames metricNames = MetricNames.of(names.toArray(String[]::new));
            List<String> sorted = new ArrayList<>(names);
            Collections.sort(sorted);
            for (int i = 0; i < sorted.size(); i++) {
                assertEquals(i, metricNames.indexOf(new String(sorted.get(i))), sorted.get(i) + " in " + sorted);
            }
            for (int probe = 0; probe < 50; probe++) {
                String other = "m" + random.nextInt(size * 3 + 1) + (random.nextBoolean() ? "_fwd" : "_rev");
                assertEquals(Collections.binarySearch(sorted, other) < 0 ? -1 : sorted.indexOf(other), metricNames.indexOf(other), other);
            }
        }
        assertEquals(-1, MetricNames.of().indexOf("x"));
    }
}
