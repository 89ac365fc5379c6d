package io.amoskys.bus.internal;

import io.amoskys.api.admin.BusTraffic;
import io.amoskys.api.admin.MetricsSource;
import io.amoskys.api.bus.Cursor;
import io.amoskys.api.bus.EventLog;
import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.bus.Ingest;
import io.amoskys.schema.RejectReason;
import io.amoskys.schema.v1.Ack;
import io.amoskys.schema.v1.Envelope;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus: verification in front of the write-ahead log, for remote transports
 * ({@link Ingest}), the pipeline ({@link EventLog}) and the operator (shell, metrics).
 */
@Component(service = {Ingest.class, EventLog.class, MetricsSource.class, BusTraffic.class, BusService.class},
        configurationPid = BusService.PID, immediate = true)
@Designate(ocd = BusConfig.class)
public class BusService implements Ingest, EventLog, MetricsSource, BusTraffic {
    public static final String PID = "io.amoskys.bus";
    private static final Logger LOG = LoggerFactory.getLogger(BusService.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Clock clock = Clock.systemUTC();
    private final BusMetrics metrics = new BusMetrics();
    private final Map<RejectReason, AtomicLong> lastWarned = new EnumMap<>(RejectReason.class);
    private final Path trustDir;
    private final TrustStore trust;
    private final EnvelopeVerifier verifier;
    private final WriteAheadLog log;

    @Activate
    public BusService(BusConfig config) throws IOException, SQLException {
        this.trustDir = dir(config.trustDir(), "karaf.etc", "amoskys/bus");
        this.trust = new TrustStore(trustDir);
        this.verifier = new EnvelopeVerifier(trust, clock, config.maxEnvelopeBytes(), config.maxEventsPerEnvelope(),
                config.replayWindowSeconds(), config.maxClockSkewSeconds());
        for (RejectReason reason : RejectReason.values()) {
            lastWarned.put(reason, new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS));
        }
        Path logDir = dir(config.logDir(), "karaf.data", "amoskys/bus");
        this.log = new WriteAheadLog(logDir.resolve("wal"), new WriteAheadLog.Settings(config.queueCapacity(),
                config.queueMaxBytes(), config.maxCommitEnvelopes(), TimeUnit.HOURS.toMillis(config.retentionHours()),
                config.retentionMaxBytes(), config.quarantineMaxRows()), clock, metrics);
        LOG.info("Event bus ready: log {} ({} envelopes, next offset {}), {} trusted keys", logDir,
                log.storedEnvelopes(), log.nextOffset(), trust.list().size());
    }

    static Path dir(String configured, String karafProperty, String under) {
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        String base = System.getProperty(karafProperty);
        if (base == null) {
            throw new IllegalStateException(karafProperty + " is not set: configure the folder in " + PID + ".cfg");
        }
        return Path.of(base, under);
    }

    /** Closes the log (also for benchmarks that run the bus outside OSGi). */
    @Deactivate
    public void deactivate() {
        log.close();
    }

    @Override
    public CompletableFuture<Ack> ingest(byte[] envelope, String peer, String certifiedAgent) {
        long received = System.nanoTime();
        return ingest(verifier.check(envelope, certifiedAgent), envelope, peer, received);
    }

    /**
     * An envelope an in-container agent's {@link LocalChannel} has just built and signed in this
     * process, with its parsed form and the facts of the events it was written from: checked like
     * any other except that its signature is not verified again nor its body parsed back (see
     * {@link EnvelopeVerifier#checkSignedHere}).
     */
    CompletableFuture<Ack> ingestSignedHere(byte[] envelope, Envelope parsed, BodyFacts body) {
        long received = System.nanoTime();
        return ingest(verifier.checkSignedHere(envelope.length, parsed, body), envelope, "local", received);
    }

    private CompletableFuture<Ack> ingest(Verdict verdict, byte[] envelope, String peer, long received) {
        if (!verdict.accepted()) {
            return refuse(verdict, envelope, peer);
        }
        metrics.envelopeEvents.record(verdict.events());
        try {
            return log.append(verdict, envelope, peer, received);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Ack> refuse(Verdict verdict, byte[] envelope, String peer) {
        metrics.rejected(verdict.reason());
        log.quarantine(Rejected.of(clock.millis(), verdict, peer, envelope));
        AtomicLong last = lastWarned.get(verdict.reason());
        long now = System.nanoTime();
        long before = last.get();
        if (now - before >= WARN_EVERY_NANOS && last.compareAndSet(before, now)) {
            LOG.warn("Refused an envelope from {} ({}): {}. Further refusals for this reason are counted in "
                    + "amoskys_bus_rejected_total and kept in amoskys:quarantine, not logged for a minute",
                    peer, verdict.reason().code(), verdict.detail());
        }
        return CompletableFuture.completedFuture(verdict.rejection());
    }

    @Override
    public int maxEnvelopeBytes() {
        return verifier.maxBytes();
    }

    @Override
    public Cursor open(String consumer, Set<String> kinds) {
        try {
            return log.open(consumer, kinds);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the log for consumer " + consumer, e);
        }
    }

    @Override
    public Cursor range(long fromOffset, long toOffset, Set<String> kinds) {
        try {
            return log.range(fromOffset, toOffset, kinds);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the log", e);
        }
    }

    @Override
    public Optional<LoggedEvent> find(String agentId, long sequence) {
        try {
            return log.find(agentId, sequence);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search the log for event " + agentId + ":" + sequence, e);
        }
    }

    @Override
    public long offsetAt(Instant time) {
        try {
            return log.offsetAt(time);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search the log", e);
        }
    }

    @Override
    public long nextOffset() {
        return log.nextOffset();
    }

    public TrustStore trust() {
        return trust;
    }

    public Path trustDir() {
        return trustDir;
    }

    public WriteAheadLog log() {
        return log;
    }

    /** {@code amoskys:verify}: the hash chain and every stored signature. */
    public String verifyLog() throws SQLException {
        ChainVerifier verifier = new ChainVerifier(keyId -> trust.find(keyId).map(TrustedKey::publicKey));
        log.retentionLock().lock(); // retention must not remove commits under the walk
        try (Connection c = log.connect()) {
            String summary = verifier.verify(c).summary();
            c.commit();
            return summary;
        } finally {
            log.retentionLock().unlock();
        }
    }

    @Override
    public Map<String, Long> eventsByAgent() {
        Map<String, Long> out = new java.util.TreeMap<>();
        metrics.eventsByAgent.forEach((agent, events) -> out.put(agent, events.sum()));
        return out;
    }

    @Override
    public void writePrometheus(StringBuilder out) {
        counter(out, "amoskys_bus_envelopes_accepted_total", "Envelopes verified and committed to the log", metrics.envelopesAccepted.sum());
        counter(out, "amoskys_bus_events_accepted_total", "Events in the envelopes committed to the log", metrics.eventsAccepted.sum());
        out.append("# HELP amoskys_bus_agent_events_total Events committed to the log, by agent\n");
        out.append("# TYPE amoskys_bus_agent_events_total counter\n");
        eventsByAgent().forEach((agent, events) -> out.append("amoskys_bus_agent_events_total{agent=\"")
                .append(agent.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"} ").append(events).append('\n'));
        counter(out, "amoskys_bus_bytes_accepted_total", "Bytes of the envelopes committed to the log", metrics.bytesAccepted.sum());
        counter(out, "amoskys_bus_duplicates_total", "Envelopes already in the log, acknowledged without a second copy", metrics.duplicates.sum());
        counter(out, "amoskys_bus_commits_total", "Group commits of the log", metrics.commits.sum());
        out.append("# HELP amoskys_bus_rejected_total Envelopes refused, by reason (kept in the quarantine table)\n");
        out.append("# TYPE amoskys_bus_rejected_total counter\n");
        metrics.rejected.forEach((reason, count) ->
                out.append("amoskys_bus_rejected_total{reason=\"").append(reason.code()).append("\"} ").append(count.sum()).append('\n'));
        out.append("# HELP amoskys_bus_log_failures_total Writes of the log that failed, by what was written (see the log file)\n");
        out.append("# TYPE amoskys_bus_log_failures_total counter\n");
        for (String what : java.util.List.of("commit", "quarantine", "retention", "writer", "writer-stopped")) {
            java.util.concurrent.atomic.LongAdder n = metrics.logFailures.get(what);
            out.append("amoskys_bus_log_failures_total{what=\"").append(what).append("\"} ").append(n == null ? 0 : n.sum()).append('\n');
        }
        counter(out, "amoskys_bus_quarantine_dropped_total", "Refused envelopes not kept because the quarantine writer was behind", metrics.quarantineDropped.sum());
        counter(out, "amoskys_bus_retention_removed_total", "Envelopes removed by retention", metrics.retentionRemoved.sum());
        counter(out, "amoskys_bus_retention_unconsumed_total", "Envelopes retention removed before every consumer read them", metrics.retentionUnconsumed.sum());
        metrics.ackLatency.write(out, "amoskys_bus_ack_latency_seconds", "From receipt to acknowledgement (verify, queue, group commit)");
        metrics.envelopeEvents.write(out, "amoskys_bus_envelope_events", "Events per accepted envelope (the agents' batch sizes)");
        metrics.commitEnvelopes.write(out, "amoskys_bus_commit_envelopes", "Envelopes per group commit");
        metrics.commitSeconds.write(out, "amoskys_bus_commit_seconds", "Time to write and commit one group");
        gauge(out, "amoskys_bus_log_bytes", "Bytes of envelopes the log holds now", log.storedBytes());
        gauge(out, "amoskys_bus_log_envelopes", "Envelopes the log holds now", log.storedEnvelopes());
        gauge(out, "amoskys_bus_log_next_offset", "The offset the next envelope gets", log.nextOffset());
        gauge(out, "amoskys_bus_queue_envelopes", "Envelopes verified and waiting for the next group commit", log.queued());
        gauge(out, "amoskys_bus_trusted_keys", "Agent keys enrolled and valid now", trust.list().stream().filter(k -> k.validAt(clock.instant())).count());
        out.append("# HELP amoskys_bus_consumer_lag_envelopes Envelopes in the log after the consumer's committed offset\n");
        out.append("# TYPE amoskys_bus_consumer_lag_envelopes gauge\n");
        try {
            long head = log.nextOffset() - 1;
            log.consumers().forEach((consumer, committed) -> out.append("amoskys_bus_consumer_lag_envelopes{consumer=\"")
                    .append(consumer.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"} ")
                    .append(Math.max(0, head - committed)).append('\n'));
        } catch (SQLException e) {
            LOG.warn("Consumer offsets unreadable for /metrics", e);
        }
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }
}
