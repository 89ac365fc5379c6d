package io.amoskys.model.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RocAucTest {

    @Test
    void tiesCountHalf() {
        // (3,1) (3,2) (2,1) win, (2,2) ties: 3.5 of 4 pairs
        assertEquals(0.875, RocAuc.of(new double[] {3, 2}, new double[] {1, 2}));
        // 0.1 beats none; each 0.4 beats 0.2 and ties both 0.4s (2 half-wins); 0.9 beats all 3: 7 of 12
        assertEquals(7.0 / 12, RocAuc.of(new double[] {0.4, 0.1, 0.9, 0.4}, new double[] {0.4, 0.2, 0.4}));
        assertEquals(0.5, RocAuc.of(new double[] {0.5, 0.5}, new double[] {0.5, 0.5, 0.5}));
    }

    @Test
    void separatedScoresGiveOneOrZero() {
        assertEquals(1.0, RocAuc.of(new double[] {0.9, 0.8}, new double[] {0.1, 0.2, 0.3}));
        assertEquals(0.0, RocAuc.of(new double[] {0.1}, new double[] {0.9, 0.8}));
    }

    @Test
    void agreesWithCountingEveryPairOnDataFullOfTies() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            double[] positives = random.doubles(1 + random.nextInt(40), 0, 1).map(v -> Math.round(v * 8) / 8.0).toArray();
            double[] negatives = random.doubles(1 + random.nextInt(40), 0, 1).map(v -> Math.round(v * 6) / 6.0).toArray();
            double pairs = 0;
            for (double p : positives) {
                for (double n : negatives) {
                    pairs += p > n ? 1 : p == n ? 0.5 : 0;
                }
            }
            assertEquals(pairs / (positives.length * negatives.length), RocAuc.of(positives, negatives), 1e-15);
        }
    }

    @Test
    void leavesItsInputAlone() {
        double[] positives = {0.9, 0.1, 0.5};
        RocAuc.of(positives, new double[] {0.3});
        assertArrayEquals(new double[] {0.9, 0.1, 0.5}, positives);
    }

    @Test
    void anEmptySideHasNoAucAndNaNHasNoRank() {
        assertTrue(Double.isNaN(RocAuc.of(new double[0], new double[] {0.5})));
        assertTrue(Double.isNaN(RocAuc.of(new double[] {0.5}, new double[0])));
        assertThrows(IllegalArgumentException.class, () -> RocAuc.of(new double[] {Double.NaN}, new double[] {0.5}));
    }
}
