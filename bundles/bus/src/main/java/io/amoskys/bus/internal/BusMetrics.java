package io.amoskys.bus.internal;

import io.amoskys.schema.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The bus's counters; rendered for {@code /metrics} by {@link BusService}. */
final class BusMetrics implements WalListener {
    final LongAdder envelopesAccepted = new LongAdder();
    final LongAdder eventsAccepted = new LongAdder();
    final LongAdder bytesAccepted = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder commits = new LongAdder();
    final LongAdder retentionRemoved = new LongAdder();
    final LongAdder retentionUnconsumed = new LongAdder();
    final LongAdder quarantineDropped = new LongAdder();
    /** Per failed write of the log (commit, quarantine, retention, writer, writer-stopped). */
    final Map<String, LongAdder> logFailures = new java.util.concurrent.ConcurrentSkipListMap<>();
    final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);
    /** Per agent id: only verified envelopes count, so only enrolled agents appear. */
    final Map<String, LongAdder> eventsByAgent = new java.util.concurrent.ConcurrentHashMap<>();
    final Histogram ackLatency = new Histogram(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5);
    final Histogram envelopeEvents = new Histogram(1, 10, 100, 1000, 10000);
    final Histogram commitEnvelopes = new Histogram(1, 10, 100, 1000, 10000);
    final Histogram commitSeconds = new Histogram(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1);

    BusMetrics() {
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, new LongAdder());
        }
    }

    void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    @Override
    public void failed(String what) {
        logFailures.computeIfAbsent(what, w -> new LongAdder()).increment();
    }

    @Override
    public void refused(RejectReason reason) {
        rejected(reason);
    }

    long rejectedTotal() {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public void accepted(String agentId, int events) {
        eventsByAgent.computeIfAbsent(agentId, a -> new LongAdder()).add(events);
    }

    @Override
    public void committed(int envelopes, int events, long bytes, int duplicateCount, long commitNanos) {
        envelopesAccepted.add(envelopes);
        eventsAccepted.add(events);
        bytesAccepted.add(bytes);
        duplicates.add(duplicateCount);
        commits.increment();
        commitEnvelopes.record(envelopes + duplicateCount);
        commitSeconds.record(commitNanos / 1e9);
    }

    @Override
    public void acked(long latencyNanos) {
        ackLatency.record(latencyNanos / 1e9);
    }

    @Override
    public void retained(long envelopesRemoved, long unconsumedRemoved) {
        retentionRemoved.add(envelopesRemoved);
        retentionUnconsumed.add(unconsumedRemoved);
    }

    @Override
    public void quarantineDropped() {
        quarantineDropped.increment();
    }
}
