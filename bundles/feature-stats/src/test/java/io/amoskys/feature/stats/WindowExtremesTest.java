package io.amoskys.feature.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowExtremesTest {
    private static final long SECOND = 1_000_000_000L;

    private record Sample(long t, double x) {}

    @ParameterizedTest
    @CsvSource({"41, 10000000000, 10", "42, 10000000000, 3", "43, 60000000000, 1", "44, 1000000000, 7"})
    void matchesTheBucketDefinitionWithLateAndTooOldValues(long seed, long window, int buckets) {
        Random random = new Random(seed);
        WindowExtremes extremes = new WindowExtremes(window, buckets);
        long g = window / buckets;
        List<Sample> accepted = new ArrayList<>();
        long newest = Long.MIN_VALUE;
        long t = Samples.EPOCH_NANOS;
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            double u = random.nextDouble();
            t += u < 0.95 ? (long) (random.nextDouble() * window / 8) : (long) (window * (1 + 3 * random.nextDouble()));
            // A quarter of the values are late, by up to 1.5 windows: some of them too old.
            long at = random.nextInt(4) == 0 ? t - (long) (random.nextDouble() * 1.5 * window) : t;
            double x = random.nextGaussian() * 100;
            boolean expected = newest == Long.MIN_VALUE || at > newest - window;
            assertEquals(expected, extremes.add(at, x), "value " + i + " at " + at);
            if (expected) {
                accepted.add(new Sample(at, x));
                newest = Math.max(newest, at);
            } else {
                refused++;
            }
            for (long now : new long[] {at, newest, newest - window, newest + window / 3, newest + window + g}) {
                if (now >= newest - window) {
                    assertEquals(reference(accepted, now, window, g, true), extremes.min(now), "min at " + now);
                    assertEquals(reference(accepted, now, window, g, false), extremes.max(now), "max at " + now);
                }
            }
        }
        assertTrue(refused > 100, "the sequence must include too-old values: " + refused);
    }

    /** Min or max of the accepted values whose bucket k has (k+1)·g > now - window and k·g <= now. */
    private static double reference(List<Sample> accepted, long now, long window, long g, boolean lowest) {
        double result = Double.NaN;
        for (Sample s : accepted) {
            long k = Math.floorDiv(s.t(), g);
            if ((k + 1) * g > now - window && k * g <= now) {
                result = Double.isNaN(result) ? s.x() : lowest ? Math.min(result, s.x()) : Math.max(result, s.x());
            }
        }
        return result;
    }

    @Test
    void bucketGranularity() {
        WindowExtremes extremes = new WindowExtremes(10 * SECOND, 10); // buckets of 1 s
        assertTrue(Double.isNaN(extremes.min(0)));
        assertTrue(extremes.add(500_000_000L, 5));
        assertTrue(extremes.add(3_200_000_000L, 1));
        assertTrue(extremes.add(9_900_000_000L, 7));
        assertEquals(1.0, extremes.min(9_900_000_000L));
        assertEquals(7.0, extremes.max(9_900_000_000L));
        assertEquals(1.0, extremes.min(12_500_000_000L), "the window (2.5 s, 12.5 s] overlaps the bucket [3 s, 4 s)");
        assertEquals(5.0, extremes.max(3_000_000_000L), "the bucket at 3.2 s starts at 3 s, inside a window ending at 3 s");
        assertEquals(7.0, extremes.min(14_000_000_000L), "the window (4 s, 14 s] no longer overlaps [3 s, 4 s)");
        assertTrue(Double.isNaN(extremes.max(20_000_000_000L)));

        assertFalse(extremes.add(-100_000_000L, -50), "at newest - window: too old");
        assertTrue(extremes.add(-50_000_000L, -40), "just inside the window");
        assertEquals(-40.0, extremes.min(9_900_000_000L));
    }

    @Test
    void needsAtLeastOneNanosecondPerBucket() {
        assertThrows(IllegalArgumentException.class, () -> new WindowExtremes(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new WindowExtremes(10, 11));
    }

    @Test
    void agreesWithEveryValueKeptWhenReadAtAndAroundTheNewestTime() {
        // Windows that are and are not a multiple of the bucket (the shortcut for the first only),
        // late values, and min and max read at the same and at different times.
        for (long window : new long[] {12 * SECOND, 10 * SECOND + 1}) {
            WindowExtremes extremes = new WindowExtremes(window, 4);
            long g = window / 4;
            java.util.List<long[]> kept = new java.util.ArrayList<>(); // {t, x}
            Random random = new Random(window);
            long newest = Long.MIN_VALUE;
            for (int i = 0; i < 2000; i++) {
                long t = Samples.EPOCH_NANOS + i * (SECOND / 3) - (random.nextInt(5) == 0 ? random.nextInt(8) * SECOND : 0);
                long x = random.nextInt(1000);
                if (extremes.add(t, x)) {
                    kept.add(new long[] {t, x});
                    newest = Math.max(newest, t);
                }
                for (long now : new long[] {newest, t, newest + random.nextInt(3) * g, newest - window}) {
                    if (now < newest - window) {
                        continue;
                    }
                    long lowest = Long.MAX_VALUE;
                    long highest = Long.MIN_VALUE;
                    for (long[] v : kept) {
                        long k = Math.floorDiv(v[0], g);
                        if (k >= Math.floorDiv(now - window, g) && k <= Math.floorDiv(now, g)) {
                            lowest = Math.min(lowest, v[1]);
                            highest = Math.max(highest, v[1]);
                        }
                    }
                    double expectedMin = lowest == Long.MAX_VALUE ? Double.NaN : lowest;
                    double expectedMax = highest == Long.MIN_VALUE ? Double.NaN : highest;
                    if (random.nextBoolean()) {
                        assertEquals(expectedMax, extremes.max(now), "max at " + now);
                        assertEquals(expectedMin, extremes.min(now), "min at " + now);
                    } else {
                        assertEquals(expectedMin, extremes.min(now), "min at " + now);
                        assertEquals(expectedMax, extremes.max(now), "max at " + now);
                    }
                }
            }
        }
    }
}
