package io.amoskys.model.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void identityClampsToTheUnitInterval() {
        Calibration c = Calibration.identity();
        assertEquals(0.25, c.apply(0.25));
        assertEquals(1.0, c.apply(7));
        assertEquals(0.0, c.apply(-3));
    }

    @Test
    void minmaxScalesAndClamps() {
        Calibration c = Calibration.minmax(2, 6);
        assertEquals(0.0, c.apply(2));
        assertEquals(0.5, c.apply(4));
        assertEquals(1.0, c.apply(6));
        assertEquals(1.0, c.apply(100));
        assertEquals(0.0, c.apply(-100));
        assertThrows(DescriptorException.class, () -> Calibration.minmax(1, 1));
    }

    @Test
    void logisticIsTheSigmoidOfTheAffineRawScore() {
        Calibration c = Calibration.logistic(2, -1);
        assertEquals(0.5, c.apply(0.5), 1e-12);
        assertEquals(1 / (1 + Math.exp(-(2 * 3.0 - 1))), c.apply(3), 1e-12);
        assertEquals(1.0, c.apply(Double.POSITIVE_INFINITY));
        assertEquals(0.0, c.apply(Double.NEGATIVE_INFINITY));
        assertThrows(DescriptorException.class, () -> Calibration.logistic(Double.NaN, 0));
    }

    @Test
    void aNanRawScoreStaysNanForTheCallerToRefuse() {
        for (Calibration c : new Calibration[] {Calibration.identity(), Calibration.minmax(0, 1), Calibration.logistic(1, 0)}) {
            assertTrue(Double.isNaN(c.apply(Double.NaN)), c.toString());
        }
    }

    @Test
    void roundTripsThroughJson() {
        for (Calibration c : new Calibration[] {Calibration.identity(), Calibration.minmax(-1, 2.5), Calibration.logistic(3, 0.25)}) {
            assertEquals(c, Calibration.fromJson(c.toJson()));
        }
    }
}
