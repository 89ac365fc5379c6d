package io.amoskys.feature.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The per-event paths allocate nothing: the feature stages call them on every event. */
class AllocationTest {
    private static final long TAU = 1_000_000_000L;

    @Test
    void addingAndReadingAllocatesNothing() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        DecayedMoments moments = new DecayedMoments(TAU);
        DecayedCovariance covariance = new DecayedCovariance(TAU);
        DecayedHistogram histogram = new DecayedHistogram(256, TAU);
        WindowExtremes extremes = new WindowExtremes(10 * TAU, 10);
        DistinctCounter distinct = new DistinctCounter(10 * TAU, 10);
        EntityTable<DecayedMoments> table = new EntityTable<>(1000, 3600 * TAU);
        String[] entities = new String[100];
        for (int i = 0; i < entities.length; i++) {
            entities[i] = "10.0.0." + i;
        }
        Function<String, DecayedMoments> create = e -> new DecayedMoments(TAU);
        for (String e : entities) {
            table.get(e, 0, create); // creating allocates; getting afterwards must not
        }
        String name = "a1b2c3.example.com";

        double sink = 0;
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 5 && allocated > 0; round++) { // the first rounds may load and compile
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                long event = round * 100_000L + i; // time goes on across rounds, every 7th event late
                long t = Samples.EPOCH_NANOS + event * 10_000_000L - (i % 7 == 0 ? 300_000_000L : 0);
                moments.add(t, i % 13);
                covariance.add(t, i % 13, i % 5);
                histogram.add(t, Hashes.of(i % 300));
                extremes.add(t, i % 17);
                distinct.add(t, Hashes.of(name));
                table.get(entities[i % entities.length], t, create).add(t, i);
                sink += moments.mean() + moments.variance() + moments.rate(t) + moments.sum(t)
                        + covariance.correlation() + histogram.entropyBits(t) + histogram.topShare(t)
                        + extremes.min(t) + extremes.max(t) + distinct.estimate(t)
                        + StringEntropy.bitsPerChar(name) + Hashes.of(name);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(Double.isFinite(sink), "the statistics are finite: " + sink);
        assertTrue(allocated == 0, "allocated " + allocated + " bytes in 100 000 events");
    }
}
