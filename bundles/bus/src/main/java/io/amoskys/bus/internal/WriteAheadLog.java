package io.amoskys.bus.internal;

import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.schema.RejectReason;
import io.amoskys.schema.v1.Ack;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus's durable log in embedded Derby. One writer thread takes verified envelopes from a
 * bounded queue, recognises duplicates, appends everything waiting in one transaction (group
 * commit) together with a commit row that carries the SHA-256 of the commit before, and only then
 * acknowledges. Readers follow by offset (see {@link LogCursor}). Retention runs on the writer
 * thread between commits, so nothing else ever writes the log.
 */
public final class WriteAheadLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);
    private static final long RETENTION_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Settings the log needs from {@link BusConfig}. */
    public record Settings(int queueCapacity, long queueMaxBytes, int maxCommitEnvelopes, long retentionMillis,
                           long retentionMaxBytes, int quarantineMaxRows) {}

    private final EmbeddedDataSource dataSource;
    private final Settings settings;
    private final Clock clock;
    private final WalListener listener;
    private final Connection writer;
    private final BlockingQueue<WalWork> queue;
    /** Bytes of envelopes queued or being committed, in KiB permits: memory stays bounded by size, not count. */
    private final Semaphore queuedKib;
    /** When a sequence-reused refusal was last logged (writer thread only). */
    private long lastReusedWarning = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
    /** The queue's room for refused envelopes on their way to quarantine: entries and KiB. */
    private final Semaphore quarantineSlots;
    private final Semaphore quarantineKib;
    private final int maxQueuedKib;
    private final Thread writerThread;
    private final Object appended = new Object();
    private final EventLookup lookup = new EventLookup(this);
    private final java.util.concurrent.locks.ReentrantLock retentionLock = new java.util.concurrent.locks.ReentrantLock();

    // Writer-thread state, restored from the tables at start.
    private final Map<String, Long> maxSequence = new HashMap<>();
    /** Per agent, the highest sequence retention removed: at or under it, a missing row is a duplicate. */
    private final Map<String, Long> removedSequence = new HashMap<>();
    private long nextCommitNo;
    private byte[] lastHash;
    private long lastRetention;
    // Read by other threads.
    private volatile long nextOffset;
    private volatile long storedBytes;
    private volatile long storedEnvelopes;
    private volatile boolean closing;
    /** Set when the writer died of an Error: appends fail at once instead of waiting forever. */
    private volatile Throwable failed;

    public WriteAheadLog(Path dir, Settings settings, Clock clock, WalListener listener) throws SQLException {
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(dir.toAbsolutePath().toString());
        dataSource.setCreateDatabase("create");
        this.writer = connect();
        WalSchema.createIfMissing(writer);
        restore();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.maxQueuedKib = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(1, settings.queueMaxBytes() / 1024));
        this.queuedKib = new Semaphore(maxQueuedKib);
        // Refusals are acknowledged at once, so nothing slows a sender of garbage down: they get a
        // share of the queue of their own, past which they are counted and not kept.
        this.quarantineSlots = new Semaphore(Math.max(1, settings.queueCapacity() / 8));
        this.quarantineKib = new Semaphore(Math.max(128, maxQueuedKib / 8)); // a kept row is at most 64 KiB
        this.writerThread = new Thread(this::writeLoop, "amoskys-bus-wal-writer");
        writerThread.setDaemon(true);
        writerThread.start();
    }

    Connection connect() throws SQLException {
        if (closing) {
            throw new SQLException("the write-ahead log is closed");
        }
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        return c;
    }

    private void restore() throws SQLException {
        try (Statement s = writer.createStatement()) {
            long anchorCommit;
            long anchorOffset;
            byte[] anchorHash;
            try (ResultSet rs = s.executeQuery("SELECT commit_no, last_offset, hash FROM chain_anchor WHERE id = 1")) {
                rs.next();
                anchorCommit = rs.getLong(1);
                anchorOffset = rs.getLong(2);
                anchorHash = rs.getBytes(3);
            }
            nextCommitNo = anchorCommit + 1;
            nextOffset = anchorOffset + 1;
            lastHash = anchorHash;
            try (ResultSet rs = s.executeQuery(
                    "SELECT commit_no, last_offset, hash FROM commit_log ORDER BY commit_no DESC FETCH FIRST 1 ROWS ONLY")) {
                if (rs.next()) {
                    nextCommitNo = rs.getLong(1) + 1;
                    nextOffset = rs.getLong(2) + 1;
                    lastHash = rs.getBytes(3);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT agent_id, max_seq, removed_seq FROM agent_state")) {
                while (rs.next()) {
                    maxSequence.put(rs.getString(1), rs.getLong(2));
                    removedSequence.put(rs.getString(1), rs.getLong(3));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(CAST(size AS BIGINT)), 0) FROM envelope")) {
                rs.next();
                storedEnvelopes = rs.getLong(1);
                storedBytes = rs.getLong(2);
            }
        }
        writer.commit();
    }

    /**
     * Queues a verified envelope for the next group commit; blocks while the queue is full, which
     * slows publishers down to what the disk takes.
     */
    CompletableFuture<Ack> append(Verdict verdict, byte[] bytes, long receivedNanos) throws InterruptedException {
        return append(verdict, bytes, "", receivedNanos);
    }

    /** @param peer who sent it, kept with the envelope if the log refuses it */
    CompletableFuture<Ack> append(Verdict verdict, byte[] bytes, String peer, long receivedNanos) throws InterruptedException {
        CompletableFuture<Ack> done = new CompletableFuture<>();
        int kib = kib(bytes);
        queuedKib.acquire(kib);
        if (closing || failed != null) {
            queuedKib.release(kib);
            done.completeExceptionally(new IllegalStateException(failed != null
                    ? "the write-ahead log failed (" + failed + "); see the log" : "the bus is stopping; send again later"));
            return done;
        }
        queue.put(new Append(verdict, bytes, peer == null ? "" : peer, receivedNanos, done));
        if (closing || failed != null) {
            // The writer may have made its last drain while this waited for room: nobody would
            // ever answer the envelope, and its sender would wait for good.
            failLeftovers();
        }
        return done;
    }

    /** Keeps a refused envelope for inspection, unless the writer is so far behind that its queue is full. */
    void quarantine(Rejected rejected) {
        int kib = kib(rejected.bytes());
        if (!quarantineSlots.tryAcquire()) {
            listener.quarantineDropped();
            return;
        }
        if (!quarantineKib.tryAcquire(kib)) {
            quarantineSlots.release();
            listener.quarantineDropped();
            return;
        }
        if (!queue.offer(rejected)) {
            released(rejected);
            listener.quarantineDropped();
        }
    }

    private void released(Rejected rejected) {
        quarantineKib.release(kib(rejected.bytes()));
        quarantineSlots.release();
    }

    /** The highest sequence the log ever accepted from {@code agentId}; 0 if none. */
    public long maxSequence(String agentId) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("SELECT max_seq FROM agent_state WHERE agent_id = ?")) {
            ps.setString(1, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                long max = rs.next() ? rs.getLong(1) : 0;
                c.commit();
                return max;
            }
        }
    }

    public long nextOffset() {
        return nextOffset;
    }

    public long storedBytes() {
        return storedBytes;
    }

    public long storedEnvelopes() {
        return storedEnvelopes;
    }

    int queued() {
        return queue.size();
    }

    private int kib(byte[] bytes) {
        return Math.min(maxQueuedKib, bytes.length / 1024 + 1);
    }

    /** Opens the cursor of a named consumer after its committed offset. */
    public LogCursor open(String consumer, Set<String> kinds) throws SQLException {
        return new LogCursor(this, consumer, committedOffset(consumer), Long.MAX_VALUE, kinds);
    }

    /** The stored event {@code agentId} numbered {@code sequence}, if the log holds it. */
    public Optional<LoggedEvent> find(String agentId, long sequence) throws SQLException {
        return lookup.find(agentId, sequence);
    }

    /** A read-only cursor over a range of offsets. */
    public LogCursor range(long from, long to, Set<String> kinds) throws SQLException {
        return new LogCursor(this, null, from - 1, to, kinds);
    }

    long committedOffset(String consumer) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("SELECT committed FROM consumer_offset WHERE consumer = ?")) {
            ps.setString(1, consumer);
            try (ResultSet rs = ps.executeQuery()) {
                long committed = rs.next() ? rs.getLong(1) : 0;
                c.commit();
                return committed;
            }
        }
    }

    /** Every consumer with the offset it committed last. */
    public Map<String, Long> consumers() throws SQLException {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT consumer, committed FROM consumer_offset")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
            c.commit();
        }
        return out;
    }

    public long offsetAt(Instant time) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT MIN(first_offset) FROM commit_log WHERE committed_ms >= ?")) {
            ps.setLong(1, time.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long offset = rs.getLong(1);
                boolean none = rs.wasNull();
                c.commit();
                return none ? nextOffset : offset;
            }
        }
    }

    /** Waits until an envelope after {@code offset} is committed, or the time is up. */
    void awaitAfter(long offset, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (appended) {
            while (nextOffset <= offset + 1 && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(appended, left);
            }
        }
    }

    private void writeLoop() {
        List<WalWork> work = new ArrayList<>();
        List<Append> batch = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        while (!closing) {
            try {
                WalWork first = queue.poll(nextRetentionWaitNanos(), TimeUnit.NANOSECONDS);
                if (first != null) {
                    work.add(first);
                    queue.drainTo(work, settings.maxCommitEnvelopes() - 1);
                    for (WalWork w : work) {
                        if (w instanceof Append a) {
                            batch.add(a);
                        } else {
                            rejected.add((Rejected) w);
                        }
                    }
                    // Refusals first: whoever sees a later acknowledgement also finds them in quarantine.
                    writeQuarantine(rejected);
                    if (!batch.isEmpty()) {
                        commit(batch);
                    }
                }
                // By age every 10 s; by size as soon as a commit went past the limit.
                if (storedBytes > settings.retentionMaxBytes() || System.nanoTime() - lastRetention >= RETENTION_EVERY_NANOS) {
                    lastRetention = System.nanoTime();
                    retain();
                }
            } catch (InterruptedException e) {
                break;
            } catch (Throwable e) { // an Error too: acks must not wait for a writer that is gone
                rollback();
                fail(batch, e);
                if (e instanceof Error) {
                    failed = e;
                    listener.failed("writer-stopped");
                    LOG.error("The write-ahead log writer stopped; nothing more is acknowledged until the bus restarts", e);
                    break;
                }
                listener.failed("writer");
                LOG.error("The write-ahead log writer failed; the pending envelopes were not acknowledged", e);
            } finally {
                for (Append a : batch) {
                    queuedKib.release(kib(a.bytes()));
                }
                rejected.forEach(this::released);
                work.clear();
                batch.clear();
                rejected.clear();
            }
        }
        failLeftovers();
    }

    /** Fails what is still queued once the writer is gone, so that no sender waits for it. */
    private void failLeftovers() {
        List<WalWork> left = new ArrayList<>();
        queue.drainTo(left);
        Exception stopped = new IllegalStateException("the bus stopped before this envelope was stored; send it again");
        for (WalWork w : left) {
            if (w instanceof Append a) {
                queuedKib.release(kib(a.bytes()));
                a.done().completeExceptionally(stopped);
            } else {
                released((Rejected) w);
            }
        }
    }

    private long nextRetentionWaitNanos() {
        return Math.max(1, RETENTION_EVERY_NANOS - (System.nanoTime() - lastRetention));
    }

    private static void fail(List<Append> batch, Throwable cause) {
        for (Append a : batch) {
            a.done().completeExceptionally(cause);
        }
    }

    private void commit(List<Append> batch) {
        long started = System.nanoTime();
        Map<String, Long> sequences = new HashMap<>();
        Map<String, InBatch> inBatch = new HashMap<>();
        List<Append> fresh = new ArrayList<>(batch.size());
        List<Long> duplicateOffsets = new ArrayList<>();
        List<Append> duplicates = new ArrayList<>();
        List<Append> reused = new ArrayList<>();
        List<Rejected> reusedRows = new ArrayList<>();
        long offset = nextOffset;
        long bytes = 0;
        int events = 0;
        try {
            for (Append a : batch) {
                Verdict v = a.verdict();
                String key = v.agentId() + '\u0000' + v.sequence();
                InBatch earlier = inBatch.get(key);
                Long known = earlier == null ? null : earlier.offset();
                boolean same = earlier == null || Arrays.equals(earlier.append().bytes(), a.bytes());
                long high = sequences.getOrDefault(v.agentId(), maxSequence.getOrDefault(v.agentId(), 0L));
                if (known == null && v.sequence() <= high) {
                    // Under the agent's highest sequence: stored already, removed by retention
                    // (offset 0: no longer in the log), or sent late after a failed commit (stored now).
                    Stored stored = stored(v, a.bytes().length);
                    known = stored == null ? null : stored.offset();
                    same = stored == null || stored.same();
                    if (known == null && v.sequence() <= removedSequence.getOrDefault(v.agentId(), 0L)) {
                        known = 0L; // its content is gone with it: taken as sent again
                    }
                }
                if (!same) {
                    // Answered DUPLICATE, the agent would drop events the log never got (a spool lost, numbering anew).
                    reused.add(a);
                    reusedRows.add(Rejected.of(clock.millis(), Verdict.refused(RejectReason.SEQUENCE_REUSED, "sequence "
                            + v.sequence() + " of " + v.agentId() + " is in the log at offset " + known
                            + " with other content", v.agentId(), v.sequence(), v.keyId()), a.peer(), a.bytes()));
                    continue;
                }
                if (known != null) {
                    duplicates.add(a);
                    duplicateOffsets.add(known);
                    continue;
                }
                inBatch.put(key, new InBatch(offset++, a));
                sequences.put(v.agentId(), Math.max(high, v.sequence())); // a late one never lowers it
                fresh.add(a);
                bytes += a.bytes().length;
                events += v.events();
            }
            byte[] hash = lastHash;
            if (!fresh.isEmpty()) {
                hash = insert(fresh, sequences, bytes);
            }
            writer.commit();
            lastHash = hash;
            if (!fresh.isEmpty()) {
                nextCommitNo++;
            }
            maxSequence.putAll(sequences);
            storedBytes += bytes;
            storedEnvelopes += fresh.size();
            synchronized (appended) {
                nextOffset = offset;
                appended.notifyAll();
            }
        } catch (SQLException e) {
            rollback();
            listener.failed("commit");
            LOG.error("Group commit of {} envelopes failed; none was acknowledged", batch.size(), e);
            fail(batch, e);
            return;
        }
        listener.committed(fresh.size(), events, bytes, duplicates.size(), System.nanoTime() - started);
        long first = offset - fresh.size();
        for (int i = 0; i < fresh.size(); i++) {
            listener.accepted(fresh.get(i).verdict().agentId(), fresh.get(i).verdict().events());
            ack(fresh.get(i), Ack.Status.ACCEPTED, first + i);
        }
        for (int i = 0; i < duplicates.size(); i++) {
            ack(duplicates.get(i), Ack.Status.DUPLICATE, duplicateOffsets.get(i));
        }
        refuse(reused, reusedRows);
    }

    /** Envelopes the log refused after verification: kept in quarantine, counted, answered REJECTED. */
    private void refuse(List<Append> refused, List<Rejected> rows) {
        if (refused.isEmpty()) {
            return;
        }
        writeQuarantine(rows);
        for (int i = 0; i < refused.size(); i++) {
            Append a = refused.get(i);
            Verdict v = rows.get(i).verdict();
            listener.refused(v.reason());
            if (System.nanoTime() - lastReusedWarning >= TimeUnit.MINUTES.toNanos(1)) {
                lastReusedWarning = System.nanoTime();
                LOG.warn("Refused envelope {} of {} from {}: {}. Further refusals for reusing a sequence are counted in "
                        + "amoskys_bus_rejected_total and kept in amoskys:quarantine, not logged for a minute",
                        v.sequence(), v.agentId(), rows.get(i).peer(), v.detail());
            }
            listener.acked(System.nanoTime() - a.receivedNanos());
            a.done().complete(v.rejection());
        }
    }

    /** An envelope taken into this group commit under its (agent, sequence), at this offset. */
    private record InBatch(long offset, Append append) {}

    private record Stored(long offset, boolean same) {}

    /**
     * The envelope stored under the verdict's agent and sequence, and whether it is the one sent
     * again: the same size, key, signing time and events. Those are signed, so only the agent could
     * have made them, and it signs each envelope once; reading the stored bytes back would cost the
     * writer a blob per resend (an agent resends a whole window after a reconnect).
     */
    private Stored stored(Verdict v, int size) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("SELECT log_offset, size, key_id, signed_ns, event_count, "
                + "min_event_seq, max_event_seq FROM envelope WHERE agent_id = ? AND seq = ?")) {
            ps.setString(1, v.agentId());
            ps.setLong(2, v.sequence());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                boolean same = rs.getInt(2) == size && v.keyId().equals(rs.getString(3)) && rs.getLong(4) == v.signedNanos()
                        && rs.getInt(5) == v.events() && rs.getLong(6) == v.minEventSequence()
                        && rs.getLong(7) == v.maxEventSequence();
                return new Stored(rs.getLong(1), same);
            }
        }
    }

    private void ack(Append a, Ack.Status status, long offset) {
        listener.acked(System.nanoTime() - a.receivedNanos());
        a.done().complete(Ack.newBuilder()
                .setAgentId(a.verdict().agentId())
                .setSequence(a.verdict().sequence())
                .setStatus(status)
                .setOffset(offset)
                .build());
    }


    private byte[] insert(List<Append> fresh, Map<String, Long> sequences, long bytes) throws SQLException {
        long commitNo = nextCommitNo;
        long first = nextOffset;
        MessageDigest chain = ChainHash.begin(lastHash, commitNo, fresh.size());
        try (PreparedStatement ps = writer.prepareStatement("INSERT INTO envelope (log_offset, agent_id, "
                + "seq, key_id, kinds, event_count, signed_ns, commit_no, size, bytes, min_event_seq, max_event_seq) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            long offset = first;
            for (Append a : fresh) {
                Verdict v = a.verdict();
                ps.setLong(1, offset);
                ps.setString(2, v.agentId());
                ps.setLong(3, v.sequence());
                ps.setString(4, v.keyId());
                ps.setString(5, v.kinds().length() > 256 ? "*" : v.kinds());
                ps.setInt(6, v.events());
                ps.setLong(7, v.signedNanos());
                ps.setLong(8, commitNo);
                ps.setInt(9, a.bytes().length);
                ps.setBytes(10, a.bytes());
                ps.setLong(11, v.minEventSequence());
                ps.setLong(12, v.maxEventSequence());
                ps.addBatch();
                ChainHash.addEnvelope(chain, offset, a.bytes());
                offset++;
            }
            ps.executeBatch();
        }
        for (Map.Entry<String, Long> e : sequences.entrySet()) {
            try (PreparedStatement up = writer.prepareStatement("UPDATE agent_state SET max_seq = ? WHERE agent_id = ? AND max_seq < ?")) {
                up.setLong(1, e.getValue());
                up.setString(2, e.getKey());
                up.setLong(3, e.getValue());
                if (up.executeUpdate() == 0 && !maxSequence.containsKey(e.getKey())) {
                    try (PreparedStatement in = writer.prepareStatement("INSERT INTO agent_state (agent_id, max_seq) VALUES (?, ?)")) {
                        in.setString(1, e.getKey());
                        in.setLong(2, e.getValue());
                        in.executeUpdate();
                    }
                }
            }
        }
        byte[] hash = chain.digest();
        try (PreparedStatement ps = writer.prepareStatement("INSERT INTO commit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, commitNo);
            ps.setLong(2, first);
            ps.setLong(3, first + fresh.size() - 1);
            ps.setInt(4, fresh.size());
            ps.setLong(5, bytes);
            ps.setLong(6, clock.millis());
            ps.setBytes(7, lastHash);
            ps.setBytes(8, hash);
            ps.executeUpdate();
        }
        return hash;
    }

    private void writeQuarantine(List<Rejected> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = writer.prepareStatement("INSERT INTO quarantine "
                + "(received_ms, reason, detail, peer, agent_id, key_id, size, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Rejected r : rows) {
                Verdict v = r.verdict();
                ps.setLong(1, r.receivedMillis());
                ps.setString(2, v.reason().code());
                ps.setString(3, clip(v.detail(), 1000));
                ps.setString(4, clip(r.peer(), 256));
                ps.setString(5, clip(v.agentId(), 128));
                ps.setString(6, clip(v.keyId(), 64));
                ps.setInt(7, r.bytes().length);
                ps.setBytes(8, r.bytes());
                ps.addBatch();
            }
            ps.executeBatch();
            writer.commit();
        } catch (SQLException e) {
            rollback();
            listener.failed("quarantine");
            LOG.error("Could not keep {} refused envelopes in quarantine", rows.size(), e);
        }
    }

    /** Held while retention runs; a verification holds it so that no commit vanishes under it. */
    java.util.concurrent.locks.ReentrantLock retentionLock() {
        return retentionLock;
    }

    /** Removes the oldest commits past the age or size limit and moves the chain's anchor. */
    private void retain() {
        if (!retentionLock.tryLock()) {
            return; // a verification is walking the chain; retention runs next time
        }
        try {
            removeExpired();
        } finally {
            retentionLock.unlock();
        }
    }

    private void removeExpired() {
        long cutoff = clock.millis() - settings.retentionMillis();
        try {
            long dropCommit = -1;
            long dropLastOffset = -1;
            long dropBytes = 0;
            long dropEnvelopes = 0;
            byte[] dropHash = null;
            try (Statement s = writer.createStatement();
                 ResultSet rs = s.executeQuery("SELECT commit_no, last_offset, envelope_count, bytes, committed_ms, hash "
                         + "FROM commit_log ORDER BY commit_no")) {
                while (rs.next()) {
                    boolean old = rs.getLong(5) < cutoff;
                    boolean over = storedBytes - dropBytes > settings.retentionMaxBytes();
                    if (!old && !over) {
                        break;
                    }
                    dropCommit = rs.getLong(1);
                    dropLastOffset = rs.getLong(2);
                    dropEnvelopes += rs.getInt(3);
                    dropBytes += rs.getLong(4);
                    dropHash = rs.getBytes(6);
                }
            }
            long unconsumed = 0;
            Map<String, Long> removed = new HashMap<>();
            if (dropCommit >= 0) {
                try (PreparedStatement ps = writer.prepareStatement(
                        "SELECT agent_id, MAX(seq) FROM envelope WHERE log_offset <= ? GROUP BY agent_id")) {
                    ps.setLong(1, dropLastOffset);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            removed.put(rs.getString(1), Math.max(rs.getLong(2), removedSequence.getOrDefault(rs.getString(1), 0L)));
                        }
                    }
                }
                try (PreparedStatement ps = writer.prepareStatement("UPDATE agent_state SET removed_seq = ? WHERE agent_id = ?")) {
                    for (Map.Entry<String, Long> e : removed.entrySet()) {
                        ps.setLong(1, e.getValue());
                        ps.setString(2, e.getKey());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = writer.prepareStatement("DELETE FROM envelope WHERE log_offset <= ?")) {
                    ps.setLong(1, dropLastOffset);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = writer.prepareStatement("DELETE FROM commit_log WHERE commit_no <= ?")) {
                    ps.setLong(1, dropCommit);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = writer.prepareStatement(
                        "UPDATE chain_anchor SET commit_no = ?, last_offset = ?, hash = ? WHERE id = 1")) {
                    ps.setLong(1, dropCommit);
                    ps.setLong(2, dropLastOffset);
                    ps.setBytes(3, dropHash);
                    ps.executeUpdate();
                }
                try (Statement s = writer.createStatement();
                     ResultSet rs = s.executeQuery("SELECT MIN(committed) FROM consumer_offset")) {
                    if (rs.next() && !rs.wasNull()) {
                        unconsumed = Math.max(0, dropLastOffset - Math.max(rs.getLong(1), dropLastOffset - dropEnvelopes));
                    }
                }
            }
            try (PreparedStatement ps = writer.prepareStatement("DELETE FROM quarantine WHERE id <= "
                    + "(SELECT MAX(id) FROM quarantine) - ?")) {
                ps.setLong(1, settings.quarantineMaxRows());
                ps.executeUpdate();
            }
            writer.commit();
            removedSequence.putAll(removed);
            if (dropCommit >= 0) {
                storedBytes -= dropBytes;
                storedEnvelopes -= dropEnvelopes;
                listener.retained(dropEnvelopes, unconsumed);
                LOG.info("Retention removed {} envelopes ({} bytes) up to offset {}", dropEnvelopes, dropBytes, dropLastOffset);
            }
        } catch (SQLException e) {
            rollback();
            listener.failed("retention");
            LOG.error("Retention failed; it is tried again in 10 s", e);
        }
    }

    void commitConsumer(String consumer, long offset) throws SQLException {
        try (Connection c = connect()) {
            try (PreparedStatement up = c.prepareStatement("UPDATE consumer_offset SET committed = ? WHERE consumer = ?")) {
                up.setLong(1, offset);
                up.setString(2, consumer);
                if (up.executeUpdate() == 0) {
                    try (PreparedStatement in = c.prepareStatement("INSERT INTO consumer_offset VALUES (?, ?)")) {
                        in.setString(1, consumer);
                        in.setLong(2, offset);
                        in.executeUpdate();
                    }
                }
            }
            c.commit();
        }
    }

    /** What the log holds per agent: envelopes, their sequence range and events. */
    public record AgentSummary(String agentId, long envelopes, long firstSequence, long lastSequence, long events) {}

    public List<AgentSummary> agents() throws SQLException {
        List<AgentSummary> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT agent_id, COUNT(*), MIN(seq), MAX(seq), SUM(CAST(event_count AS BIGINT)) "
                     + "FROM envelope GROUP BY agent_id ORDER BY agent_id")) {
            while (rs.next()) {
                out.add(new AgentSummary(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
            c.commit();
        }
        return out;
    }

    /** Rows of the quarantine table, newest first. */
    public List<QuarantinedEnvelope> quarantined(int limit) throws SQLException {
        List<QuarantinedEnvelope> out = new ArrayList<>();
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("SELECT id, received_ms, reason, detail, peer, agent_id, key_id, size "
                     + "FROM quarantine ORDER BY id DESC FETCH FIRST ? ROWS ONLY")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new QuarantinedEnvelope(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8)));
                }
            }
            c.commit();
        }
        return out;
    }

    private static String clip(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
    }

    private void rollback() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            LOG.warn("Rollback failed", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closing = true;
        queuedKib.release(maxQueuedKib); // wakes publishers waiting for room: they see closing
        writerThread.interrupt();
        synchronized (appended) {
            appended.notifyAll();
        }
        try {
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failLeftovers(); // an append that raced the writer's last drain
        try {
            writer.close();
        } catch (SQLException e) {
            LOG.warn("Closing the log connection failed", e);
        }
        EmbeddedDataSource shutdown = new EmbeddedDataSource();
        shutdown.setDatabaseName(dataSource.getDatabaseName());
        shutdown.setShutdownDatabase("shutdown");
        try {
            shutdown.getConnection().close();
        } catch (SQLException expected) {
            // Derby reports a clean shutdown as SQLState 08006.
            if (!"08006".equals(expected.getSQLState())) {
                LOG.warn("Derby did not shut the log down cleanly", expected);
            }
        }
    }
}
