package io.amoskys.junction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.junction.fit.WeightFitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightFitterTest {
    /** Rows drawn from a known logistic model: the fit must find its weights again. */
    @Test
    void recoversTheWeightsOfALogisticModel() {
        Random random = new Random(7);
        List<WeightFitter.Row> rows = new ArrayList<>();
        double wA = 6;
        double wB = 2;
        double bias = -1;
        for (int i = 0; i < 40_000; i++) {
            double a = random.nextGaussian() * 0.3;
            double b = random.nextGaussian() * 0.3;
            double p = 1 / (1 + Math.exp(-(bias + wA * a + wB * b)));
            rows.add(new WeightFitter.Row(Map.of("a", a, "b", b), random.nextDouble() < p));
        }
        // Balancing the classes moves the bias by log(benign/attacks), not the weights.
        WeightFitter.Fit fit = new WeightFitter(0).fit(rows);
        assertEquals(wA, fit.weights().get("a"), 0.3);
        assertEquals(wB, fit.weights().get("b"), 0.3);
        long attacks = rows.stream().filter(WeightFitter.Row::attack).count();
        assertEquals(bias + Math.log((double) (rows.size() - attacks) / attacks), fit.bias(), 0.15);
        assertEquals("a=" + String.format(java.util.Locale.ROOT, "%.4f", fit.weights().get("a")) + ",b="
                + String.format(java.util.Locale.ROOT, "%.4f", fit.weights().get("b")), fit.weightsSetting());
    }

    @Test
    void aDetectorThatPointsTheWrongWayIsLeftOutAndASeparatingOneStaysFinite() {
        List<WeightFitter.Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            boolean attack = i % 2 == 0;
            double good = attack ? 0.3 : -0.3; // separates perfectly
            double backwards = attack ? -0.1 + (i % 7) * 0.01 : 0.1 - (i % 5) * 0.01;
            rows.add(new WeightFitter.Row(Map.of("good", good, "backwards", backwards), attack));
        }
        WeightFitter.Fit fit = new WeightFitter(1e-3).fit(rows);
        assertEquals(0.0, fit.weights().get("backwards"));
        assertTrue(fit.weights().get("good") > 10 && Double.isFinite(fit.weights().get("good")), fit.toString());
        assertTrue(fit.logLoss() < 0.05, fit.toString());
    }

    @Test
    void oneClassCannotBeFitted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeightFitter(0).fit(List.of(new WeightFitter.Row(Map.of("a", 1.0), true))));
        assertEquals("need attack and benign observations to fit, got 1 attacks of 1", e.getMessage());
    }
}
