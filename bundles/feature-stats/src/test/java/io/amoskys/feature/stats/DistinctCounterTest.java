package io.amoskys.feature.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DistinctCounterTest {
    private static final long WINDOW = 10_000_000_000L;

    private record Added(long epoch, long hash) {}

    /**
     * Small counts are estimated by linear counting, m ln(m / empty registers), whose error comes
     * from values sharing a register: its standard deviation is sqrt(m (e^t - t - 1)) for
     * t = n/m (Whang, Vander-Zanden, Taylor 1990), about 2.2 at n = 200 with m = 4096. So a fixed
     * ±2% is not a property of the estimator (about a quarter of random value streams break it
     * somewhere below 200); 1 + 4 standard deviations is.
     */
    private static void assertSmallCount(int exact, double estimate, int precision, String where) {
        double m = 1 << precision;
        double t = exact / m;
        double tolerance = 1 + 4 * Math.sqrt(m * (Math.exp(t) - t - 1));
        assertTrue(Math.abs(estimate - exact) <= tolerance,
                where + ": estimate " + estimate + " for " + exact + " distinct (tolerance " + tolerance + ")");
    }

    /**
     * HyperLogLog computed from scratch over a set of hashes, with the same mixing, registers and
     * estimator: what the counter must give for the values of the epochs it counts.
     */
    private static double hyperLogLogOf(Set<Long> hashes, int precision) {
        int m = 1 << precision;
        int[] registers = new int[m];
        for (long hash : hashes) {
            long h = Hashes.mix(hash);
            int index = (int) (h >>> (64 - precision));
            int rank = Math.min(Long.numberOfLeadingZeros(h << precision) + 1, 64 - precision + 1);
            registers[index] = Math.max(registers[index], rank);
        }
        double inverseSum = 0;
        int zeros = 0;
        for (int r : registers) {
            inverseSum += Math.pow(2, -r);
            zeros += r == 0 ? 1 : 0;
        }
        double raw = 0.7213 / (1 + 1.079 / m) * m * m / inverseSum;
        return raw <= 2.5 * m && zeros > 0 ? m * Math.log((double) m / zeros) : raw;
    }

    @Test
    void smallCountsAreNearExact() {
        Random random = new Random(51);
        DistinctCounter counter = new DistinctCounter(WINDOW, 12);
        Set<Long> exact = new HashSet<>();
        long t = Samples.EPOCH_NANOS - Math.floorMod(Samples.EPOCH_NANOS, WINDOW); // an epoch's start
        assertEquals(0.0, counter.estimate(t));
        while (exact.size() < 200) {
            // Addresses, a third of them repeats.
            String address = "10.1." + random.nextInt(4) + "." + random.nextInt(exact.size() / 2 + 2 + exact.size());
            long hash = Hashes.of(address);
            assertTrue(counter.add(t + random.nextInt(1_000_000_000), hash));
            exact.add(hash);
            assertSmallCount(exact.size(), counter.estimate(t + WINDOW - 1), 12, "after " + address);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8, 12})
    void largeCountsAreWithinThreeStandardErrors(int precision) {
        DistinctCounter counter = new DistinctCounter(WINDOW, precision);
        double standardError = 1.04 / Math.sqrt(1 << precision);
        int added = 0;
        for (int target : new int[] {10_000, 100_000, 1_000_000}) {
            for (; added < target; added++) {
                counter.add(Samples.EPOCH_NANOS, Hashes.of((long) added * 7919));
            }
            double estimate = counter.estimate(Samples.EPOCH_NANOS);
            assertTrue(Math.abs(estimate / target - 1) <= 3 * standardError,
                    "p " + precision + ": estimate " + estimate + " for " + target);
        }
    }

    @Test
    void epochsRollOver() {
        DistinctCounter counter = new DistinctCounter(WINDOW, 12);
        for (int i = 0; i < 100; i++) {
            assertTrue(counter.add(i, Hashes.of(i))); // epoch 0: 0..99
        }
        for (int i = 0; i < 10; i++) {
            counter.add(WINDOW + i, Hashes.of(i)); // epoch 1: 0..9 again
        }
        for (int i = 100; i < 150; i++) {
            counter.add(WINDOW + i, Hashes.of(i)); // epoch 1: 100..149
        }
        assertSmallCount(150, counter.estimate(WINDOW), 12, "epochs 1 and 0");
        assertSmallCount(60, counter.estimate(2 * WINDOW), 12, "epochs 2 and 1: only epoch 1's values");
        for (int i = 200; i < 260; i++) {
            counter.add(2 * WINDOW + i, Hashes.of(i)); // epoch 2: 200..259
        }
        assertSmallCount(120, counter.estimate(2 * WINDOW), 12, "epochs 2 and 1");
        assertSmallCount(60, counter.estimate(WINDOW), 12, "epoch 0 is gone once epoch 2 is seen");
        assertSmallCount(60, counter.estimate(3 * WINDOW), 12, "epochs 3 and 2");
        assertEquals(0.0, counter.estimate(4 * WINDOW), "epochs 4 and 3: nothing");
        assertFalse(counter.add(WINDOW - 1, Hashes.of(999)), "epoch 0 is older than the previous epoch");
        assertTrue(counter.add(WINDOW, Hashes.of(999)), "epoch 1 is the previous epoch");
        assertSmallCount(121, counter.estimate(2 * WINDOW), 12, "with the late value");
        assertTrue(counter.add(5 * WINDOW, Hashes.of(500)));
        assertEquals(0.0, counter.estimate(3 * WINDOW), "epoch 2's registers are still there, but it is no longer kept");
        assertSmallCount(1, counter.estimate(6 * WINDOW), 12, "epochs 6 and 5");
    }

    @Test
    void countsExactlyTheKeptEpochsWithLateValues() {
        Random random = new Random(52);
        DistinctCounter counter = new DistinctCounter(WINDOW, 12);
        List<Added> accepted = new ArrayList<>();
        long newestEpoch = Long.MIN_VALUE;
        Map<Long, Set<Long>> perEpoch = new HashMap<>();
        boolean registersUsed = false;
        long t = Samples.EPOCH_NANOS;
        for (int i = 0; i < 4000; i++) {
            t += (long) (random.nextDouble() * WINDOW / 20);
            long at = random.nextInt(5) == 0 ? t - (long) (random.nextDouble() * 2.5 * WINDOW) : t;
            long hash = Hashes.of((long) random.nextInt(150));
            long epoch = Math.floorDiv(at, WINDOW);
            boolean expected = newestEpoch == Long.MIN_VALUE || epoch >= newestEpoch - 1;
            assertEquals(expected, counter.add(at, hash), "value " + i);
            if (expected) {
                accepted.add(new Added(epoch, hash));
                newestEpoch = Math.max(newestEpoch, epoch);
                // The registers take over from the first epoch with more distinct values than are kept exactly.
                registersUsed |= perEpoch.computeIfAbsent(epoch, e -> new HashSet<>()).add(hash)
                        && perEpoch.get(epoch).size() > DistinctCounter.EXACT_LIMIT;
            }
            for (long now : new long[] {t, at, t + WINDOW}) {
                long e = Math.floorDiv(now, WINDOW);
                Set<Long> exact = new HashSet<>();
                for (Added a : accepted) {
                    if ((a.epoch() == e || a.epoch() == e - 1) && a.epoch() >= newestEpoch - 1) {
                        exact.add(a.hash());
                    }
                }
                double fromScratch = registersUsed ? hyperLogLogOf(exact, 12) : exact.size();
                assertEquals(fromScratch, counter.estimate(now), 1e-9 * fromScratch, "value " + i + ", now " + now);
                assertSmallCount(exact.size(), counter.estimate(now), 12, "value " + i + ", now " + now);
            }
        }
        assertTrue(registersUsed, "the sequence reaches the registers, so both phases were checked");
    }

    @Test
    void precisionIsFourToTwelve() {
        assertThrows(IllegalArgumentException.class, () -> new DistinctCounter(WINDOW, 3));
        assertThrows(IllegalArgumentException.class, () -> new DistinctCounter(WINDOW, 13));
        assertThrows(IllegalArgumentException.class, () -> new DistinctCounter(0, 8));
    }

    @Test
    void anEstimateAtTheTimeLastAddedEqualsOneAtAnotherTimeOfItsEpoch() {
        DistinctCounter counter = new DistinctCounter(WINDOW, 8);
        long start = Math.floorDiv(Samples.EPOCH_NANOS, WINDOW) * WINDOW;
        for (int i = 0; i < 40; i++) {
            long t = start + i * (WINDOW / 20);
            counter.add(t, Hashes.of(i));
            assertEquals(counter.estimate(t + (t % WINDOW == 0 ? 1 : -1)), counter.estimate(t), "at " + i);
        }
        counter.add(start + 3 * WINDOW, Hashes.of(99)); // two epochs later: the earlier ones are gone
        assertEquals(0.0, counter.estimate(start + WINDOW));
        assertEquals(1.0, counter.estimate(start + 3 * WINDOW), 0.01, "one value, estimated: past 16 the registers count");
    }
}
