package io.amoskys.detector.zscore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.FeatureSchema;
import io.amoskys.api.event.FeatureVector;
import io.amoskys.api.event.Score;
import java.lang.annotation.Annotation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZScoreDetectorTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("t", 1, List.of("cpu", "mem"));

    private static ZScoreDetector detector(int maxEntities) {
        return new ZScoreDetector(new ZScoreDetector.Config() {
            public double halfLifeSeconds() { return 600; }
            public int minSamples() { return 5; }
            public double zHalf() { return 3; }
            public int maxEntities() { return maxEntities; }
            public Class<? extends Annotation> annotationType() { return ZScoreDetector.Config.class; }
        });
    }

    private static FeatureVector v(String entity, long second, double cpu, double mem) {
        return new FeatureVector(SCHEMA, entity, second * 1_000_000_000L, new double[] {cpu, mem}, List.of(entity + ":" + second));
    }

    @Test
    void ordinaryValuesScoreLowAndASpikeScoresHighNamingItsFeature() {
        ZScoreDetector d = detector(100);
        for (int s = 0; s < 50; s++) {
            Score score = d.score(v("p1", s, 10 + (s % 3), 500 + (s % 5)));
            if (s < 5) {
                assertNull(score, "no verdict before minSamples of history");
            } else {
                assertTrue(score.value() < 0.5, "ordinary sample " + s + " scored " + score.value());
            }
        }
        Score spike = d.score(v("p1", 50, 95, 501));
        assertTrue(spike.value() > 0.9, "spike scored " + spike.value());
        assertEquals("cpu", spike.topContributions().get(0).feature());
        assertEquals(List.of("p1:50"), spike.eventIds());
    }

    @Test
    void entitiesAreJudgedAgainstTheirOwnHistory() {
        ZScoreDetector d = detector(100);
        for (int s = 0; s < 20; s++) {
            d.score(v("busy", s, 90 + (s % 2), 100));
            d.score(v("idle", s, 1 + (s % 2), 100));
        }
        assertTrue(d.score(v("busy", 20, 90, 100)).value() < 0.5);
        assertTrue(d.score(v("idle", 20, 90, 100)).value() > 0.9);
    }

    @Test
    void twoSchemasOfOneEntityKeepTheirOwnBaselines() {
        // Two routes with different stages score the same process: neither may reset the other.
        FeatureSchema other = new FeatureSchema("t-more", 1, List.of("cpu", "mem", "io"));
        ZScoreDetector d = detector(100);
        for (int s = 0; s < 5; s++) {
            assertNull(d.score(v("p1", s, 10 + (s % 3), 500)));
            assertNull(d.score(new FeatureVector(other, "p1", s * 1_000_000_000L, new double[] {10 + (s % 3), 500, 7}, List.of())));
        }
        assertTrue(d.score(v("p1", 5, 11, 500)).value() < 0.5, "warm after minSamples of its own schema");
        Score spike = d.score(new FeatureVector(other, "p1", 5_000_000_000L, new double[] {11, 500, 900}, List.of()));
        assertEquals("io", spike.topContributions().get(0).feature());
        assertEquals(2, d.entityCount());
    }

    @Test
    void memoryIsBoundedByMaxEntities() {
        ZScoreDetector d = detector(10);
        for (int e = 0; e < 1000; e++) {
            d.score(v("e" + e, 0, 1, 1));
        }
        assertEquals(10, d.entityCount());
    }

    @Test
    void theExplanationNamesTheThreeLargestDeviationsLargestFirst() {
        FeatureSchema wide = new FeatureSchema("w", 1, List.of("a", "b", "c", "d", "e"));
        ZScoreDetector d = detector(10);
        for (int s = 0; s < 30; s++) {
            d.score(new FeatureVector(wide, "x", s * 1_000_000_000L, new double[] {10 + s % 2, 10 + s % 2, 10 + s % 2, 10 + s % 2, 10 + s % 2}, List.of()));
        }
        Score spike = d.score(new FeatureVector(wide, "x", 30_000_000_000L, new double[] {12, 40, 11, 25, 60}, List.of()));
        assertEquals(List.of("e", "b", "d"), spike.topContributions().stream().map(c -> c.feature()).toList());
        assertTrue(spike.topContributions().get(0).weight() > spike.topContributions().get(1).weight());
    }
}
