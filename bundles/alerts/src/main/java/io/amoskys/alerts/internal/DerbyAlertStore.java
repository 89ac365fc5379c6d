package io.amoskys.alerts.internal;

import io.amoskys.api.alert.Admission;
import io.amoskys.api.alert.AlertDTO;
import io.amoskys.api.alert.AlertHistoryDTO;
import io.amoskys.api.alert.AlertQuery;
import io.amoskys.api.alert.AlertScoreDTO;
import io.amoskys.api.alert.AlertState;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.api.alert.AlertStoreException;
import io.amoskys.api.alert.AlertTransition;
import io.amoskys.api.alert.SuppressionDTO;
import io.amoskys.api.event.Alert;
import io.amoskys.api.event.Score;
import io.amoskys.api.event.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert store in its own embedded Derby database. One writer thread owns every change: it
 * takes admitted alerts and lifecycle changes from a bounded queue, decides for each alert
 * whether it is new or grouped into an open alert (remembered in a bounded LRU map, looked up in
 * the database on a miss), and writes everything waiting in one transaction (group commit). A new
 * alert's {@link #admit} returns once that transaction is committed; a grouped one as soon as it
 * is decided (its count is written with the next new alert, or within {@value #GROUPED_FLUSH_MS} ms,
 * so a kill -9 may lose the counts of that last moment, never a new alert). Suppressions are matched on the
 * caller's thread against an immutable snapshot, their expiry checked at each match. Reads use
 * connections of their own.
 */
public final class DerbyAlertStore implements AlertStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DerbyAlertStore.class);
    private static final long HIT_FLUSH_EVERY_MS = 1000;
    private static final int RETENTION_CHUNK = 500;
    /** Longest a grouped count waits in memory before it is written (without new alerts to carry it). */
    static final long GROUPED_FLUSH_MS = 200;
    static final int MAX_LIMIT = 10_000;
    /** The user the store's own lifecycle changes are recorded under. */
    static final String STORE_USER = "amoskys";
    private static final String OPEN_STATES = "('new', 'acknowledged')";
    private static final String INSERT_HISTORY = "INSERT INTO alert_history (alert_id, at_ms, user_name, from_state, to_state, "
            + "user_comment, suppression_id) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String CLOSED_STATES = "('resolved', 'false_positive')";
    private static final String SUMMARY = "id, rule, entity, severity, title, state, alert_count, first_seen_ns, "
            + "last_seen_ns, created_ms, last_admit_ms, state_ms, tags, group_by, model_versions, events_kept, "
            + "events_dropped, scores_kept, scores_dropped";

    private final EmbeddedDataSource dataSource;
    private final Path dir;
    private final StoreSettings settings;
    private final Clock clock;
    private final AlertMetrics metrics = new AlertMetrics();
    private final BlockingQueue<Work> queue;
    private final Thread writerThread;
    private volatile boolean closing;
    /** Written by the writer thread (and the constructor) only; read by any. */
    private volatile ActiveSuppressions suppressions = ActiveSuppressions.NONE;
    /** Held while hits move from memory to the database, so that a reader never sees them in neither or both. */
    private final Object hitsLock = new Object();

    // Writer-thread state.
    private final Connection writer;
    private final PreparedStatement insertAlert;
    private final PreparedStatement updateAlert;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertScore;
    private final PreparedStatement findOpen;
    private final PreparedStatement keptEvents;
    private final PreparedStatement findId;
    private final LinkedHashMap<String, OpenAlert> open;
    private long lastHitFlushMs;
    /** Open alerts with grouped counts not written yet, and since when (System.nanoTime) the oldest waits. */
    private final Map<String, OpenAlert> dirty = new LinkedHashMap<>();
    private long dirtySinceNanos;

    private sealed interface Work permits Admit, Task {}

    private record Admit(Alert alert, long nowMs, CompletableFuture<Admission> done) implements Work {}

    private record Task<T>(String what, SqlTask<T> body, CompletableFuture<T> done) implements Work {}

    /** A change run by the writer in a transaction of its own; {@code afterCommit} runs once it is committed. */
    @FunctionalInterface
    private interface SqlTask<T> {
        T run(Connection c, List<Runnable> afterCommit) throws SQLException;
    }

    /** What one batch of admitted alerts writes. */
    private static final class Pending {
        final List<OpenAlert> inserts = new ArrayList<>();
        final List<Admit> created = new ArrayList<>();
        final Set<String> ids = new HashSet<>();

        boolean isEmpty() {
            return inserts.isEmpty();
        }
    }

    public DerbyAlertStore(Path dir, StoreSettings settings, Clock clock) throws SQLException {
        this.dir = dir.toAbsolutePath();
        this.settings = settings;
        this.clock = clock;
        this.dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(this.dir.toString());
        dataSource.setCreateDatabase("create");
        this.writer = dataSource.getConnection();
        try {
            writer.setAutoCommit(false);
            AlertSchema.createIfMissing(writer);
            insertAlert = writer.prepareStatement("INSERT INTO alert (" + SUMMARY + ", severity_rank, explanation) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            updateAlert = writer.prepareStatement("UPDATE alert SET severity = ?, severity_rank = ?, alert_count = ?, "
                    + "first_seen_ns = ?, last_seen_ns = ?, last_admit_ms = ?, tags = ?, model_versions = ?, "
                    + "events_kept = ?, events_dropped = ?, scores_kept = ?, scores_dropped = ? WHERE id = ?");
            insertEvent = writer.prepareStatement("INSERT INTO alert_event (alert_id, seq, event_id) VALUES (?, ?, ?)");
            insertScore = writer.prepareStatement("INSERT INTO alert_score (alert_id, seq, detector, model_version, entity, "
                    + "ts_ns, score_value, event_ids, contributions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            findOpen = writer.prepareStatement("SELECT id, title, state, severity, alert_count, first_seen_ns, last_seen_ns, "
                    + "created_ms, last_admit_ms, state_ms, tags, model_versions, events_kept, events_dropped, scores_kept, "
                    + "scores_dropped FROM alert WHERE rule = ? AND entity = ? AND state IN " + OPEN_STATES
                    + " AND first_seen_ns <= ? AND last_seen_ns >= ? ORDER BY last_seen_ns DESC FETCH FIRST 1 ROWS ONLY");
            keptEvents = writer.prepareStatement("SELECT event_id FROM alert_event WHERE alert_id = ? ORDER BY seq");
            findId = writer.prepareStatement("SELECT rule, entity FROM alert WHERE id = ?");
            restoreCounts();
            long now = clock.millis();
            install(readActiveSuppressions(writer, now));
            writer.commit();
            lastHitFlushMs = now;
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
        int cap = settings.openAlertCache();
        this.open = new LinkedHashMap<>(Math.min(cap, 1024) * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, OpenAlert> eldest) {
                // Never forget an alert with writes pending: a lookup in the database would miss them.
                return size() > cap && !eldest.getValue().dirty;
            }
        };
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.writerThread = new Thread(this::writeLoop, "amoskys-alerts-writer");
        writerThread.setDaemon(true);
        writerThread.start();
    }

    private void restoreCounts() throws SQLException {
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("SELECT state, COUNT(*) FROM alert GROUP BY state")) {
            while (rs.next()) {
                metrics.setState(AlertState.of(rs.getString(1)), rs.getLong(2));
            }
        }
    }

    public Path dir() {
        return dir;
    }

    public StoreSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- admission

    @Override
    public Admission admit(Alert alert) {
        Objects.requireNonNull(alert, "alert");
        long now = clock.millis();
        Suppression s = suppressions.match(Text.cut(alert.rule(), AlertSchema.RULE), Text.cut(alert.entityId(), AlertSchema.ENTITY), now);
        if (s != null) {
            s.hit(now);
            metrics.admitted(Admission.Outcome.SUPPRESSED, alert.severity());
            return Admission.suppressed(s.id);
        }
        CompletableFuture<Admission> done = new CompletableFuture<>();
        return await(enqueue(new Admit(alert, now, done), done));
    }

    private <T> CompletableFuture<T> enqueue(Work work, CompletableFuture<T> done) {
        if (closing) {
            throw new AlertStoreException("the alert store is stopping", null);
        }
        try {
            if (!queue.offer(work, STUCK_SECONDS, TimeUnit.SECONDS)) {
                throw new AlertStoreException("the alert store's writer has not taken work for " + STUCK_SECONDS
                        + " s (is the database stuck?)", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertStoreException("interrupted while waiting for room in the alert store's queue", e);
        }
        if (closing && !writerThread.isAlive()) {
            failLeftovers(); // raced close(): nobody else will answer it
        }
        return done;
    }

    /**
     * Callers (route threads) wait at most this long for the writer: a stuck database must fail
     * the call, so that the platform passes the alert on unstored, rather than stop every route.
     */
    static final long STUCK_SECONDS = 30;

    private static <T> T await(CompletableFuture<T> done) {
        try {
            return done.get(STUCK_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AlertStoreException("the alert store did not answer within " + STUCK_SECONDS + " s (is the database stuck?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertStoreException("interrupted while waiting for the alert store", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new AlertStoreException(String.valueOf(cause), cause);
        }
    }

    private <T> T submit(String what, SqlTask<T> body) {
        CompletableFuture<T> done = new CompletableFuture<>();
        return await(enqueue(new Task<>(what, body, done), done));
    }

    private void writeLoop() {
        List<Work> batch = new ArrayList<>(settings.maxBatch());
        while (true) {
            Work first = null;
            try {
                first = queue.poll(dirty.isEmpty() ? 250 : GROUPED_FLUSH_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // Only close() could interrupt; it waits for the queue to be drained.
            }
            if (first == null) {
                if (closing) {
                    commit(new Pending(), true);
                    break;
                }
                commit(new Pending(), false);
                flushHitsIfDue(false);
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, settings.maxBatch() - 1);
            try {
                process(batch);
            } catch (Throwable e) { // an Error too: no caller may wait forever
                metrics.storeErrors.increment();
                LOG.error("The alert store's writer failed on a batch of {}", batch.size(), e);
                rollbackQuietly();
                open.clear();
                dirty.clear();
                AlertStoreException failure = new AlertStoreException("the alert store failed: " + e, e);
                for (Work w : batch) {
                    done(w).completeExceptionally(failure);
                }
            }
            batch.clear();
        }
    }

    private static CompletableFuture<?> done(Work w) {
        return w instanceof Admit a ? a.done() : ((Task<?>) w).done();
    }

    private void process(List<Work> batch) {
        Pending pending = new Pending();
        for (Work w : batch) {
            if (w instanceof Admit a) {
                decide(a, pending);
            } else {
                commit(pending, true); // a change sees every count before it
                pending = new Pending();
                run((Task<?>) w);
            }
        }
        commit(pending, false);
        flushHitsIfDue(false);
    }

    private void decide(Admit a, Pending pending) {
        Alert alert = a.alert();
        String rule = Text.cut(alert.rule(), AlertSchema.RULE);
        String entity = Text.cut(alert.entityId(), AlertSchema.ENTITY);
        long eventNs = alert.timestampNanos() > 0 ? alert.timestampNanos() : a.nowMs() * 1_000_000L;
        String key = OpenAlert.key(rule, entity);
        try {
            long window = settings.groupWindowNanos();
            OpenAlert o = open.get(key);
            if (o == null || !o.within(eventNs, window)) {
                // Another open alert of the key may cover this time (alerts out of order, a replay).
                o = openWithin(key, rule, entity, eventNs, window, pending);
                if (o != null) {
                    open.put(key, o);
                }
            }
            if (o != null) {
                boolean escalated = o.absorb(alert, eventNs, a.nowMs(), settings);
                if (!o.inserting && dirty.put(o.id, o) == null && dirty.size() == 1) {
                    dirtySinceNanos = System.nanoTime();
                }
                metrics.admitted(Admission.Outcome.GROUPED, alert.severity());
                a.done().complete(Admission.grouped(o.id, escalated));
                return;
            }
            String id = storedId(alert.id());
            String stored = pending.ids.contains(id) ? key : storedKey(id);
            if (key.equals(stored)) {
                // The very same alert again (a replay): it is stored already and went on then.
                metrics.admitted(Admission.Outcome.GROUPED, alert.severity());
                a.done().complete(Admission.grouped(id, false));
                return;
            }
            if (stored != null) { // another rule's or entity's alert holds the id
                id = Text.cut(id, AlertSchema.ID - 13) + "~" + UUID.randomUUID().toString().substring(0, 12);
            }
            OpenAlert created = OpenAlert.first(id, alert, rule, entity, eventNs, a.nowMs(), settings);
            open.put(key, created);
            pending.inserts.add(created);
            pending.created.add(a);
            pending.ids.add(id);
        } catch (SQLException e) {
            metrics.storeErrors.increment();
            LOG.error("The alert store could not look up the open alerts of rule {} on {}", rule, entity, e);
            a.done().completeExceptionally(new AlertStoreException("the alert store could not look up open alerts: " + e.getMessage(), e));
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }

    /** Ids longer than the column are replaced by a name-based UUID of them (the same every time). */
    private static String storedId(String id) {
        return id.length() <= AlertSchema.ID ? id : UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The rule and entity ({@link OpenAlert#key}) of the stored alert {@code id}; null if there is none. */
    private String storedKey(String id) throws SQLException {
        findId.setString(1, id);
        try (ResultSet rs = findId.executeQuery()) {
            return rs.next() ? OpenAlert.key(rs.getString(1), rs.getString(2)) : null;
        }
    }

    /**
     * The open alert of {@code key} whose window covers {@code eventNs}: among those with writes
     * pending (in memory, newer than the database), else in the database. One object per alert:
     * one found in the database that is also in memory is the one in memory.
     */
    private OpenAlert openWithin(String key, String rule, String entity, long eventNs, long window, Pending pending)
            throws SQLException {
        for (OpenAlert o : pending.inserts) {
            if (o.key.equals(key) && o.within(eventNs, window)) {
                return o;
            }
        }
        for (OpenAlert o : dirty.values()) {
            if (o.key.equals(key) && o.within(eventNs, window)) {
                return o;
            }
        }
        OpenAlert found = loadOpen(rule, entity, eventNs, window);
        if (found == null) {
            return null;
        }
        OpenAlert cached = open.get(key);
        if (cached != null && cached.id.equals(found.id)) {
            return cached;
        }
        return dirty.getOrDefault(found.id, found);
    }

    private OpenAlert loadOpen(String rule, String entity, long eventNs, long window) throws SQLException {
        findOpen.setString(1, rule);
        findOpen.setString(2, entity);
        findOpen.setLong(3, saturatedAdd(eventNs, window));
        findOpen.setLong(4, saturatedAdd(eventNs, -window));
        OpenAlert o;
        try (ResultSet rs = findOpen.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            o = new OpenAlert(rs.getString(1), rule, entity);
            o.title = rs.getString(2);
            o.state = AlertState.of(rs.getString(3));
            o.severity = Severity.valueOf(rs.getString(4));
            o.count = rs.getLong(5);
            o.firstSeenNs = rs.getLong(6);
            o.lastSeenNs = rs.getLong(7);
            o.createdMs = rs.getLong(8);
            o.lastAdmitMs = rs.getLong(9);
            o.stateMs = rs.getLong(10);
            o.tags.addAll(Text.lines(rs.getString(11)));
            o.modelVersions.addAll(Text.lines(rs.getString(12)));
            o.eventsKept = rs.getInt(13);
            o.eventsDropped = rs.getLong(14);
            o.scoresKept = rs.getInt(15);
            o.scoresDropped = rs.getLong(16);
        }
        if (o.eventsKept > 0 && o.eventsKept < settings.maxEventIds()) {
            int kept = o.eventsKept;
            o.eventsKept = 0;
            keptEvents.setString(1, o.id);
            try (ResultSet rs = keptEvents.executeQuery()) {
                while (rs.next()) {
                    o.restoreKept(rs.getString(1));
                }
            }
            o.eventsKept = kept;
        }
        return o;
    }

    /**
     * Writes a batch's new alerts, and the grouped counts waiting, in one transaction; new alerts
     * are answered once it is committed. Grouped counts alone wait (up to {@value #GROUPED_FLUSH_MS}
     * ms, or {@code maxBatch} alerts) unless {@code force}: their callers had their answer already,
     * and a commit per grouped alert would make a flood as slow as the disk.
     */
    private void commit(Pending p, boolean force) {
        boolean flush = !dirty.isEmpty() && (force || !p.inserts.isEmpty() || dirty.size() >= settings.maxBatch()
                || System.nanoTime() - dirtySinceNanos >= TimeUnit.MILLISECONDS.toNanos(GROUPED_FLUSH_MS));
        if (p.isEmpty() && !flush) {
            return;
        }
        Collection<OpenAlert> updates = flush ? dirty.values() : List.of();
        try {
            for (OpenAlert o : p.inserts) {
                bindInsert(o);
                insertAlert.addBatch();
            }
            if (!p.inserts.isEmpty()) {
                insertAlert.executeBatch();
            }
            for (OpenAlert o : updates) {
                bindUpdate(o);
                updateAlert.addBatch();
            }
            if (!updates.isEmpty()) {
                updateAlert.executeBatch();
            }
            boolean events = false;
            boolean scores = false;
            for (OpenAlert o : p.inserts) {
                events |= addEvidence(o);
                scores |= !o.newScores.isEmpty();
            }
            for (OpenAlert o : updates) {
                events |= addEvidence(o);
                scores |= !o.newScores.isEmpty();
            }
            if (events) {
                insertEvent.executeBatch();
            }
            if (scores) {
                insertScore.executeBatch();
            }
            writer.commit();
            metrics.commits.increment();
        } catch (SQLException | RuntimeException e) {
            clearBatches();
            rollbackQuietly();
            metrics.storeErrors.increment();
            LOG.error("The alert store could not store {} new alerts and the counts of {} grouped ones", p.inserts.size(),
                    updates.size(), e);
            open.clear(); // what it remembered may not be stored: look it up again
            dirty.clear();
            AlertStoreException failure = new AlertStoreException("the alert store could not store the alert: " + e.getMessage(), e);
            for (Admit a : p.created) {
                a.done().completeExceptionally(failure);
            }
            return;
        }
        for (OpenAlert o : p.inserts) {
            o.committed();
        }
        for (OpenAlert o : updates) {
            o.committed();
        }
        if (flush) {
            dirty.clear();
        }
        metrics.addState(AlertState.NEW, p.inserts.size());
        for (int i = 0; i < p.created.size(); i++) {
            Admit a = p.created.get(i);
            metrics.admitted(Admission.Outcome.NEW, a.alert().severity());
            a.done().complete(Admission.created(p.inserts.get(i).id));
        }
        trimCache();
        // Rounds of a chunk each, until back under the cap: one batch may insert more than a chunk.
        while (!p.inserts.isEmpty() && excessOpen() > 0) {
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            run(new Task<>("resolve open alerts past maxOpenAlerts", this::closeForRoom, closed));
            if (closed.isCompletedExceptionally() || closed.getNow(0) == 0) {
                break; // logged by run(); the next batch past the cap tries again
            }
        }
    }

    /**
     * How many open alerts to close now: those past {@code maxOpenAlerts} and a hundredth of it
     * more, so that a flood of new alerts pays for the query once per hundredth, not per batch; at
     * most a chunk per round, so that each transaction stays as small as retention's.
     */
    private int excessOpen() {
        long open = metrics.inState(AlertState.NEW) + metrics.inState(AlertState.ACKNOWLEDGED);
        int max = settings.maxOpenAlerts();
        return open <= max ? 0 : (int) Math.min(RETENTION_CHUNK, open - max + max / 100);
    }

    /**
     * Resolves the open alerts past the cap, as user {@value #STORE_USER} with a comment in their
     * history: new ones before acknowledged ones (someone is working on those), the lowest
     * severity first, then the least recently raised. Without a cap a spoofed flood would grow the
     * alert table for good: retention deletes closed alerts only.
     */
    /** An open alert being resolved for room: its id, its state until now, its key among the open alerts remembered. */
    private record Closing(String id, AlertState from, String key) {}

    private int closeForRoom(Connection c, List<Runnable> afterCommit) throws SQLException {
        int excess = excessOpen();
        List<Closing> closed = new ArrayList<>();
        for (AlertState state : List.of(AlertState.NEW, AlertState.ACKNOWLEDGED)) {
            if (closed.size() >= excess) {
                break;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, rule, entity FROM alert WHERE state = ? "
                    + "ORDER BY severity_rank, last_admit_ms FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, state.label());
                ps.setInt(2, excess - closed.size());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        closed.add(new Closing(rs.getString(1), state, OpenAlert.key(rs.getString(2), rs.getString(3))));
                    }
                }
            }
        }
        if (closed.isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        int max = settings.maxOpenAlerts();
        String comment = "resolved by the alert store: more than " + max + " alerts were open (maxOpenAlerts); new alerts "
                + "go before acknowledged ones, the lowest severity and the least recently raised first";
        try (PreparedStatement update = c.prepareStatement("UPDATE alert SET state = ?, state_ms = ? WHERE id = ?");
                PreparedStatement history = c.prepareStatement(INSERT_HISTORY)) {
            for (Closing alert : closed) {
                update.setString(1, AlertState.RESOLVED.label());
                update.setLong(2, now);
                update.setString(3, alert.id());
                update.addBatch();
                history.setString(1, alert.id());
                history.setLong(2, now);
                history.setString(3, STORE_USER);
                history.setString(4, alert.from().label());
                history.setString(5, AlertState.RESOLVED.label());
                history.setString(6, comment);
                history.setString(7, null);
                history.addBatch();
            }
            update.executeBatch();
            history.executeBatch();
        }
        afterCommit.add(() -> {
            for (Closing alert : closed) {
                OpenAlert cached = open.get(alert.key());
                if (cached != null && cached.id.equals(alert.id())) {
                    open.remove(cached.key); // the rule's next alert on the entity starts a new one
                }
                metrics.addState(alert.from(), -1);
            }
            metrics.addState(AlertState.RESOLVED, closed.size());
            metrics.closedForRoom.add(closed.size());
            LOG.warn("The alert store resolved {} open alerts to stay within maxOpenAlerts ({})", closed.size(), max);
        });
        return closed.size();
    }

    private void trimCache() {
        int cap = settings.openAlertCache();
        Iterator<OpenAlert> it = open.values().iterator();
        while (open.size() > cap && it.hasNext()) {
            if (!it.next().dirty) {
                it.remove();
            }
        }
    }

    private void bindInsert(OpenAlert o) throws SQLException {
        PreparedStatement ps = insertAlert;
        ps.setString(1, o.id);
        ps.setString(2, o.rule);
        ps.setString(3, o.entity);
        ps.setString(4, o.severity.name());
        ps.setString(5, o.title);
        ps.setString(6, o.state.label());
        ps.setLong(7, o.count);
        ps.setLong(8, o.firstSeenNs);
        ps.setLong(9, o.lastSeenNs);
        ps.setLong(10, o.createdMs);
        ps.setLong(11, o.lastAdmitMs);
        ps.setLong(12, o.stateMs);
        ps.setString(13, Text.lines(o.tags, AlertSchema.TAGS));
        ps.setString(14, Text.map(o.groupBy, AlertSchema.GROUP_BY));
        ps.setString(15, Text.lines(o.modelVersions, AlertSchema.MODEL_VERSIONS));
        ps.setInt(16, o.eventsKept);
        ps.setLong(17, o.eventsDropped);
        ps.setInt(18, o.scoresKept);
        ps.setLong(19, o.scoresDropped);
        ps.setInt(20, o.severity.ordinal());
        if (o.explanation == null) {
            ps.setNull(21, java.sql.Types.CLOB);
        } else {
            ps.setString(21, Text.cut(o.explanation, AlertSchema.EXPLANATION));
        }
    }

    private void bindUpdate(OpenAlert o) throws SQLException {
        PreparedStatement ps = updateAlert;
        ps.setString(1, o.severity.name());
        ps.setInt(2, o.severity.ordinal());
        ps.setLong(3, o.count);
        ps.setLong(4, o.firstSeenNs);
        ps.setLong(5, o.lastSeenNs);
        ps.setLong(6, o.lastAdmitMs);
        ps.setString(7, Text.lines(o.tags, AlertSchema.TAGS));
        ps.setString(8, Text.lines(o.modelVersions, AlertSchema.MODEL_VERSIONS));
        ps.setInt(9, o.eventsKept);
        ps.setLong(10, o.eventsDropped);
        ps.setInt(11, o.scoresKept);
        ps.setLong(12, o.scoresDropped);
        ps.setString(13, o.id);
    }

    /** Adds the alert's new evidence to the statements' batches; whether it had new event ids. */
    private boolean addEvidence(OpenAlert o) throws SQLException {
        int seq = o.eventsKept - o.newEventIds.size();
        for (String eventId : o.newEventIds) {
            insertEvent.setString(1, o.id);
            insertEvent.setInt(2, seq++);
            insertEvent.setString(3, eventId);
            insertEvent.addBatch();
        }
        seq = o.scoresKept - o.newScores.size();
        for (Score s : o.newScores) {
            insertScore.setString(1, o.id);
            insertScore.setInt(2, seq++);
            insertScore.setString(3, Text.cut(s.detector(), AlertSchema.RULE));
            insertScore.setString(4, Text.cut(s.modelVersion(), 128));
            insertScore.setString(5, Text.cut(s.entityId(), AlertSchema.ENTITY));
            insertScore.setLong(6, s.timestampNanos());
            insertScore.setDouble(7, s.value());
            insertScore.setString(8, Text.lines(s.eventIds().stream().limit(20).toList(), AlertSchema.SCORE_TEXT));
            insertScore.setString(9, Text.contributions(s.topContributions(), 10, AlertSchema.SCORE_TEXT));
            insertScore.addBatch();
        }
        return !o.newEventIds.isEmpty();
    }

    private void clearBatches() {
        for (PreparedStatement ps : List.of(insertAlert, updateAlert, insertEvent, insertScore)) {
            try {
                ps.clearBatch();
            } catch (SQLException e) {
                LOG.debug("clearBatch failed", e);
            }
        }
    }

    private <T> void run(Task<T> t) {
        List<Runnable> afterCommit = new ArrayList<>();
        flushHitsIfDue(true); // a change of suppressions must not lose the hits counted so far
        try {
            T result = t.body().run(writer, afterCommit);
            writer.commit();
            metrics.commits.increment();
            afterCommit.forEach(Runnable::run);
            t.done().complete(result);
        } catch (SQLException e) {
            rollbackQuietly();
            metrics.storeErrors.increment();
            LOG.error("The alert store could not {}", t.what(), e);
            t.done().completeExceptionally(new AlertStoreException("the alert store could not " + t.what() + ": " + e.getMessage(), e));
        } catch (RuntimeException e) {
            rollbackQuietly();
            t.done().completeExceptionally(e);
        }
    }

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            LOG.warn("Rolling back the alert store's transaction failed", e);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public AlertDTO transition(AlertTransition t) {
        Objects.requireNonNull(t, "transition");
        String id = required(t.alertId, "the alert's id");
        AlertState to = AlertState.of(t.state);
        if (to == AlertState.NEW) {
            throw new IllegalArgumentException("an alert cannot become new again: acknowledge, resolve or mark it a false positive");
        }
        if (t.suppress && to != AlertState.FALSE_POSITIVE) {
            throw new IllegalArgumentException("only marking an alert a false positive can suppress further alerts");
        }
        if (t.suppressForMillis < 0) {
            throw new IllegalArgumentException("the suppression's duration must not be negative");
        }
        String user = user(t.user);
        String comment = t.comment == null || t.comment.isBlank() ? null : Text.cut(t.comment.strip(), AlertSchema.COMMENT);
        submit("change alert " + id, (c, afterCommit) -> {
            AlertState from;
            String rule;
            String entity;
            try (PreparedStatement ps = c.prepareStatement("SELECT state, rule, entity FROM alert WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw unknownAlert(id);
                    }
                    from = AlertState.of(rs.getString(1));
                    rule = rs.getString(2);
                    entity = rs.getString(3);
                }
            }
            if (!from.canBecome(to)) {
                throw new IllegalStateException(from == to
                        ? "alert " + id + " is " + from.label() + " already"
                        : "alert " + id + " is " + from.label() + ": it cannot become " + to.label()
                                + (from.isOpen() ? "" : " (resolved and false-positive alerts are closed for good)"));
            }
            long now = clock.millis();
            String suppressionId = null;
            List<Suppression> next = null;
            if (t.suppress) {
                checkRoomForSuppression(c, now);
                long expires = t.suppressForMillis == 0 ? 0 : now + t.suppressForMillis;
                // The alert's own rule and entity, taken literally: a wildcard in them is the network's, not the operator's.
                String ruleQuoted = Glob.quote(rule);
                String entityQuoted = Glob.quote(entity);
                if (ruleQuoted.length() > AlertSchema.RULE || entityQuoted.length() > AlertSchema.ENTITY) {
                    throw new IllegalArgumentException("alert " + id + "'s rule or entity is too long for a suppression once its "
                            + "* and ? are escaped (at most " + AlertSchema.RULE + " and " + AlertSchema.ENTITY
                            + " characters): add one by pattern instead");
                }
                suppressionId = insertSuppression(c, ruleQuoted, entityQuoted,
                        comment != null ? comment : "false positive: alert " + id, user, now, expires, id);
                next = readActiveSuppressions(c, now);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE alert SET state = ?, state_ms = ? WHERE id = ?")) {
                ps.setString(1, to.label());
                ps.setLong(2, now);
                ps.setString(3, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT_HISTORY)) {
                ps.setString(1, id);
                ps.setLong(2, now);
                ps.setString(3, user);
                ps.setString(4, from.label());
                ps.setString(5, to.label());
                ps.setString(6, comment);
                ps.setString(7, suppressionId);
                ps.executeUpdate();
            }
            List<Suppression> installed = next;
            afterCommit.add(() -> {
                OpenAlert cached = open.get(OpenAlert.key(rule, entity));
                if (cached != null && cached.id.equals(id)) {
                    if (to.isOpen()) {
                        cached.state = to;
                    } else {
                        open.remove(cached.key);
                    }
                }
                metrics.addState(from, -1);
                metrics.addState(to, 1);
                metrics.transitions.increment();
                if (installed != null) {
                    install(installed);
                }
            });
            return null;
        });
        return get(id).orElseThrow(() -> unknownAlert(id));
    }

    private static NoSuchElementException unknownAlert(String id) {
        return new NoSuchElementException("no alert " + id + " (amoskys:alerts lists them)");
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + what);
        }
        return value.strip();
    }

    private static String user(String user) {
        return user == null || user.isBlank() ? "unknown" : Text.cut(user.strip(), AlertSchema.USER);
    }

    // ---------------------------------------------------------------- suppressions

    @Override
    public SuppressionDTO suppress(SuppressionDTO s) {
        Objects.requireNonNull(s, "suppression");
        String rule = s.rule == null || s.rule.isBlank() ? "*" : s.rule.strip();
        String entity = required(s.entity, "the entity (or an entity pattern such as 10.0.0.*)");
        if (rule.chars().allMatch(ch -> ch == '*') && entity.chars().allMatch(ch -> ch == '*')) {
            throw new IllegalArgumentException("a suppression of every rule on every entity would hide every alert: name a rule or an entity");
        }
        if (rule.length() > AlertSchema.RULE || entity.length() > AlertSchema.ENTITY) {
            throw new IllegalArgumentException("rule or entity too long (at most " + AlertSchema.RULE + " and " + AlertSchema.ENTITY + " characters)");
        }
        if (s.expiresMillis < 0) {
            throw new IllegalArgumentException("expiresMillis must not be negative (0: never)");
        }
        String user = user(s.createdBy);
        String reason = s.reason == null ? "" : Text.cut(s.reason.strip(), AlertSchema.COMMENT);
        String id = submit("add a suppression", (c, afterCommit) -> {
            long now = clock.millis();
            if (s.expiresMillis != 0 && s.expiresMillis <= now) {
                throw new IllegalArgumentException("the suppression would have expired already");
            }
            checkRoomForSuppression(c, now);
            String sid = insertSuppression(c, rule, entity, reason, user, now, s.expiresMillis, null);
            List<Suppression> next = readActiveSuppressions(c, now);
            afterCommit.add(() -> install(next));
            return sid;
        });
        return suppression(id).orElseThrow();
    }

    @Override
    public SuppressionDTO unsuppress(String id, String user) {
        String sid = required(id, "the suppression's id");
        String who = user(user);
        submit("remove suppression " + sid, (c, afterCommit) -> {
            long removed;
            try (PreparedStatement ps = c.prepareStatement("SELECT removed_ms FROM suppression WHERE id = ?")) {
                ps.setString(1, sid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NoSuchElementException("no suppression " + sid + " (amoskys:alerts suppressions lists them)");
                    }
                    removed = rs.getLong(1);
                }
            }
            if (removed > 0) {
                throw new IllegalStateException("suppression " + sid + " was removed already");
            }
            long now = clock.millis();
            try (PreparedStatement ps = c.prepareStatement("UPDATE suppression SET removed_by = ?, removed_ms = ? WHERE id = ?")) {
                ps.setString(1, who);
                ps.setLong(2, now);
                ps.setString(3, sid);
                ps.executeUpdate();
            }
            List<Suppression> next = readActiveSuppressions(c, now);
            afterCommit.add(() -> install(next));
            return null;
        });
        return suppression(sid).orElseThrow();
    }

    private void checkRoomForSuppression(Connection c, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM suppression WHERE removed_ms = 0 AND (expires_ms = 0 OR expires_ms > ?)")) {
            ps.setLong(1, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long active = rs.getLong(1);
                if (active >= settings.maxActiveSuppressions()) {
                    throw new IllegalArgumentException(active + " suppressions are in force already, the most allowed "
                            + "(maxActiveSuppressions in etc/io.amoskys.alerts.cfg): remove some first");
                }
            }
        }
    }

    private static String insertSuppression(Connection c, String rule, String entity, String reason, String user, long now,
                                            long expires, String alertId) throws SQLException {
        String id = String.format(Locale.ROOT, "s-%012x", ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO suppression (id, rule, entity, reason, created_by, "
                + "created_ms, expires_ms, hits, last_hit_ms, alert_id, removed_by, removed_ms) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, NULL, 0)")) {
            ps.setString(1, id);
            ps.setString(2, rule);
            ps.setString(3, entity);
            ps.setString(4, reason);
            ps.setString(5, user);
            ps.setLong(6, now);
            ps.setLong(7, expires);
            ps.setString(8, alertId);
            ps.executeUpdate();
        }
        return id;
    }

    private List<Suppression> readActiveSuppressions(Connection c, long now) throws SQLException {
        List<Suppression> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, rule, entity, expires_ms FROM suppression "
                + "WHERE removed_ms = 0 AND (expires_ms = 0 OR expires_ms > ?) ORDER BY created_ms")) {
            ps.setLong(1, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Suppression(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /** Makes {@code next} the suppressions in force, keeping the hit counters of those already in force. */
    private void install(List<Suppression> next) {
        Map<String, Suppression> before = new HashMap<>();
        for (Suppression s : suppressions.all()) {
            before.put(s.id, s);
        }
        List<Suppression> kept = new ArrayList<>(next.size());
        for (Suppression s : next) {
            kept.add(before.getOrDefault(s.id, s));
        }
        suppressions = new ActiveSuppressions(kept);
    }

    private void flushHitsIfDue(boolean force) {
        long now = clock.millis();
        if (!force && now - lastHitFlushMs < HIT_FLUSH_EVERY_MS) {
            return;
        }
        lastHitFlushMs = now;
        synchronized (hitsLock) {
            try {
                if (flushHits(writer)) {
                    writer.commit();
                    metrics.commits.increment();
                }
            } catch (SQLException e) {
                rollbackQuietly();
                metrics.storeErrors.increment();
                LOG.warn("The alert store could not count suppressed alerts", e);
            }
        }
    }

    /** Writes the hits counted since the last time; whether there were any. */
    private boolean flushHits(Connection c) throws SQLException {
        boolean any = false;
        try (PreparedStatement ps = c.prepareStatement("UPDATE suppression SET hits = hits + ?, "
                + "last_hit_ms = CASE WHEN last_hit_ms < ? THEN ? ELSE last_hit_ms END WHERE id = ?")) {
            for (Suppression s : suppressions.all()) {
                long hits = s.pendingHits.sumThenReset();
                if (hits > 0) {
                    long last = s.lastHitMs.get();
                    ps.setLong(1, hits);
                    ps.setLong(2, last);
                    ps.setLong(3, last);
                    ps.setString(4, s.id);
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
        return any;
    }

    @Override
    public List<SuppressionDTO> suppressions(boolean all) {
        long now = clock.millis();
        String where = all ? "" : " WHERE removed_ms = 0 AND (expires_ms = 0 OR expires_ms > ?)";
        return readHits(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, rule, entity, reason, created_by, created_ms, "
                    + "expires_ms, hits, last_hit_ms, alert_id, removed_by, removed_ms FROM suppression" + where
                    + " ORDER BY created_ms DESC, id FETCH FIRST " + MAX_LIMIT + " ROWS ONLY")) {
                if (!all) {
                    ps.setLong(1, now);
                }
                List<SuppressionDTO> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(suppression(rs, now));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<SuppressionDTO> suppression(String id) {
        long now = clock.millis();
        return readHits(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, rule, entity, reason, created_by, created_ms, "
                    + "expires_ms, hits, last_hit_ms, alert_id, removed_by, removed_ms FROM suppression WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(suppression(rs, now)) : Optional.empty();
                }
            }
        });
    }

    private SuppressionDTO suppression(ResultSet rs, long now) throws SQLException {
        SuppressionDTO s = new SuppressionDTO();
        s.id = rs.getString(1);
        s.rule = rs.getString(2);
        s.entity = rs.getString(3);
        s.reason = rs.getString(4);
        s.createdBy = rs.getString(5);
        s.createdMillis = rs.getLong(6);
        s.expiresMillis = rs.getLong(7);
        s.hits = rs.getLong(8);
        s.lastHitMillis = rs.getLong(9);
        s.alertId = rs.getString(10);
        s.removedBy = rs.getString(11);
        s.removedMillis = rs.getLong(12);
        s.state = s.removedMillis > 0 ? "removed" : s.expiresMillis != 0 && s.expiresMillis <= now ? "expired" : "active";
        for (Suppression live : suppressions.all()) { // hits not written yet
            if (live.id.equals(s.id)) {
                s.hits += live.pendingHits.sum();
                s.lastHitMillis = Math.max(s.lastHitMillis, live.lastHitMs.get());
            }
        }
        return s;
    }

    // ---------------------------------------------------------------- retention

    /**
     * Deletes resolved and false-positive alerts closed before {@code cutoffMillis}, with their
     * evidence and history, and suppressions that expired or were removed before it, in chunks so
     * that admission goes on between them.
     *
     * @return the alerts deleted
     */
    public int retain(long cutoffMillis) {
        int total = 0;
        while (!closing) {
            int n = submit("remove old alerts", (c, afterCommit) -> removeClosed(c, cutoffMillis, afterCommit));
            total += n;
            if (n < RETENTION_CHUNK) {
                break;
            }
        }
        if (!closing) {
            submit("remove old suppressions", (c, afterCommit) -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM suppression WHERE (removed_ms > 0 AND removed_ms < ?) "
                        + "OR (expires_ms > 0 AND expires_ms < ?)")) {
                    ps.setLong(1, cutoffMillis);
                    ps.setLong(2, cutoffMillis);
                    ps.executeUpdate();
                }
                List<Suppression> next = readActiveSuppressions(c, clock.millis());
                afterCommit.add(() -> install(next));
                return null;
            });
        }
        return total;
    }

    private int removeClosed(Connection c, long cutoff, List<Runnable> afterCommit) throws SQLException {
        List<String> ids = new ArrayList<>();
        Map<AlertState, Integer> byState = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, state FROM alert WHERE state IN " + CLOSED_STATES
                + " AND state_ms < ? FETCH FIRST " + RETENTION_CHUNK + " ROWS ONLY")) {
            ps.setLong(1, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    byState.merge(AlertState.of(rs.getString(2)), 1, Integer::sum);
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        for (String table : List.of("alert_event", "alert_score", "alert_history")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE alert_id = ?")) {
                for (String id : ids) {
                    ps.setString(1, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert WHERE id = ?")) {
            for (String id : ids) {
                ps.setString(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        afterCommit.add(() -> {
            byState.forEach((state, n) -> metrics.addState(state, -n));
            metrics.retentionRemoved.add(ids.size());
        });
        return ids.size();
    }

    // ---------------------------------------------------------------- reads

    @FunctionalInterface
    private interface SqlRead<T> {
        T read(Connection c) throws SQLException;
    }

    private <T> T read(SqlRead<T> body) {
        try (Connection c = dataSource.getConnection()) {
            return body.read(c);
        } catch (SQLException e) {
            metrics.storeErrors.increment();
            LOG.error("The alert store could not be read", e);
            throw new AlertStoreException("the alert store could not be read: " + e.getMessage(), e);
        }
    }

    /** A read of suppressions: their hits are in memory or in the database, not moving between them. */
    private <T> T readHits(SqlRead<T> body) {
        synchronized (hitsLock) {
            return read(body);
        }
    }

    /** A WHERE clause with its parameters. */
    private record Where(String sql, List<Object> params) {
        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else if (p instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setString(i + 1, (String) p);
                }
            }
        }
    }

    private static Where where(AlertQuery q) {
        List<String> terms = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        Set<String> states = new LinkedHashSet<>();
        if (q.states != null) {
            for (String s : q.states) {
                for (String one : s.split(",")) {
                    String t = one.strip().toLowerCase(Locale.ROOT);
                    if (t.isEmpty()) {
                        continue;
                    }
                    switch (t) {
                        case "open" -> {
                            states.add(AlertState.NEW.label());
                            states.add(AlertState.ACKNOWLEDGED.label());
                        }
                        case "closed" -> {
                            states.add(AlertState.RESOLVED.label());
                            states.add(AlertState.FALSE_POSITIVE.label());
                        }
                        default -> states.add(AlertState.of(t).label());
                    }
                }
            }
        }
        if (!states.isEmpty()) {
            terms.add("state IN (" + String.join(", ", states.stream().map(s -> "?").toList()) + ")");
            params.addAll(states);
        }
        if (q.minSeverity != null && !q.minSeverity.isBlank()) {
            terms.add("severity_rank >= ?");
            params.add(severity(q.minSeverity).ordinal());
        }
        text(terms, params, "rule", q.rule);
        text(terms, params, "entity", q.entity);
        if (q.tag != null && !q.tag.isBlank()) {
            terms.add("('\n' || tags || '\n') LIKE ? ESCAPE '\\'");
            params.add("%\n" + Glob.escapeLike(q.tag.strip()) + "\n%");
        }
        if (q.idPrefix != null && !q.idPrefix.isBlank()) {
            terms.add("id LIKE ? ESCAPE '\\'");
            params.add(Glob.likePrefix(q.idPrefix.strip()));
        }
        if (q.sinceMillis > 0) {
            terms.add("last_admit_ms >= ?");
            params.add(q.sinceMillis);
        }
        return new Where(terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms), params);
    }

    private static void text(List<String> terms, List<Object> params, String column, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        String v = value.strip();
        String literal = Glob.literal(v);
        if (literal == null) {
            terms.add(column + " LIKE ? ESCAPE '\\'");
            params.add(Glob.like(v));
        } else {
            terms.add(column + " = ?");
            params.add(literal);
        }
    }

    static Severity severity(String text) {
        try {
            return Severity.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown severity '" + text + "': info, low, medium, high or critical");
        }
    }

    @Override
    public List<AlertDTO> list(AlertQuery q) {
        Objects.requireNonNull(q, "query");
        if (q.limit < 1 || q.limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + q.limit);
        }
        if (q.offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + q.offset);
        }
        Where w = where(q);
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY + " FROM alert" + w.sql()
                    + " ORDER BY last_admit_ms DESC, id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                w.bind(ps);
                ps.setInt(w.params().size() + 1, q.offset);
                ps.setInt(w.params().size() + 2, q.limit);
                List<AlertDTO> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(summary(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long count(AlertQuery q) {
        Objects.requireNonNull(q, "query");
        Where w = where(q);
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alert" + w.sql())) {
                w.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public Optional<AlertDTO> get(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return read(c -> {
            AlertDTO a;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY + ", explanation FROM alert WHERE id = ?")) {
                ps.setString(1, id.strip());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    a = summary(rs);
                    a.explanation = rs.getString(20);
                }
            }
            a.eventIds = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM alert_event WHERE alert_id = ? ORDER BY seq")) {
                ps.setString(1, a.id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        a.eventIds.add(rs.getString(1));
                    }
                }
            }
            a.scores = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT detector, model_version, entity, ts_ns, score_value, "
                    + "event_ids, contributions FROM alert_score WHERE alert_id = ? ORDER BY seq")) {
                ps.setString(1, a.id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AlertScoreDTO s = new AlertScoreDTO();
                        s.detector = rs.getString(1);
                        s.modelVersion = rs.getString(2);
                        s.entity = rs.getString(3);
                        s.timestampNanos = rs.getLong(4);
                        s.value = rs.getDouble(5);
                        s.eventIds = Text.lines(rs.getString(6));
                        s.contributions = Text.contributions(rs.getString(7));
                        a.scores.add(s);
                    }
                }
            }
            a.history = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT at_ms, user_name, from_state, to_state, user_comment, "
                    + "suppression_id FROM alert_history WHERE alert_id = ? ORDER BY id")) {
                ps.setString(1, a.id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AlertHistoryDTO h = new AlertHistoryDTO();
                        h.atMillis = rs.getLong(1);
                        h.user = rs.getString(2);
                        h.fromState = rs.getString(3);
                        h.toState = rs.getString(4);
                        h.comment = rs.getString(5);
                        h.suppressionId = rs.getString(6);
                        a.history.add(h);
                    }
                }
            }
            return Optional.of(a);
        });
    }

    private static AlertDTO summary(ResultSet rs) throws SQLException {
        AlertDTO a = new AlertDTO();
        a.id = rs.getString(1);
        a.rule = rs.getString(2);
        a.entity = rs.getString(3);
        a.severity = rs.getString(4);
        a.title = rs.getString(5);
        a.state = rs.getString(6);
        a.count = rs.getLong(7);
        a.firstSeenNanos = rs.getLong(8);
        a.lastSeenNanos = rs.getLong(9);
        a.createdMillis = rs.getLong(10);
        a.lastAdmittedMillis = rs.getLong(11);
        a.stateChangedMillis = rs.getLong(12);
        a.tags = Text.lines(rs.getString(13));
        a.groupBy = Text.map(rs.getString(14));
        a.modelVersions = Text.lines(rs.getString(15));
        a.eventIdsKept = rs.getInt(16);
        a.eventIdsDropped = rs.getLong(17);
        a.scoresDropped = rs.getLong(19);
        return a;
    }

    // ---------------------------------------------------------------- metrics and shutdown

    public void writePrometheus(StringBuilder out) {
        metrics.write(out, suppressions.activeAt(clock.millis()), queue.size());
    }

    AlertMetrics metrics() {
        return metrics;
    }

    /**
     * Waits until everything admitted before is committed: a grouped alert's count is written with
     * the batch it came in, after {@link #admit} returned.
     */
    void sync() {
        submit("sync", (c, afterCommit) -> null);
    }

    /** Open alerts remembered for grouping now (bounded by {@code openAlertCache}). */
    int remembered() {
        return submit("count remembered alerts", (c, afterCommit) -> open.size());
    }

    /** Stops taking alerts, lets the writer finish what is queued, and shuts the database down. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failLeftovers();
        if (!writerThread.isAlive()) {
            flushHitsIfDue(true);
        }
        closeQuietly();
    }

    private void failLeftovers() {
        List<Work> left = new ArrayList<>();
        queue.drainTo(left);
        AlertStoreException stopped = new AlertStoreException("the alert store stopped before it took this; try again", null);
        for (Work w : left) {
            done(w).completeExceptionally(stopped);
        }
    }

    private void closeQuietly() {
        try {
            writer.close();
        } catch (SQLException e) {
            LOG.warn("Closing the alert store's connection failed", e);
        }
        EmbeddedDataSource shutdown = new EmbeddedDataSource();
        shutdown.setDatabaseName(dataSource.getDatabaseName());
        shutdown.setShutdownDatabase("shutdown");
        try {
            shutdown.getConnection().close();
        } catch (SQLException expected) {
            // Derby reports a clean shutdown as SQLState 08006.
            if (!"08006".equals(expected.getSQLState())) {
                LOG.warn("Derby did not shut the alert store down cleanly", expected);
            }
        }
    }
}
