package io.amoskys.response.internal;

import io.amoskys.response.admin.ActionDTO;
import io.amoskys.response.admin.ActionState;
import io.amoskys.response.admin.ReceiptDTO;
import io.amoskys.response.admin.Verification;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * The durable action queue and its receipts, in an embedded Derby database of their own. Every
 * change of an action and its receipt are written in one transaction, so that after a crash the
 * queue and the receipts agree: an action is never lost, and one that finished never runs again.
 * Actions are few (rate-limited), so one connection serves all, one caller at a time.
 */
final class ActionStore implements AutoCloseable {
    static final String DO = "do";
    static final String UNDO = "undo";
    private static final String COLUMNS = "id, responder, alert_id, rule, entity, verb, target_kind, target, description, "
            + "params, lasts_ms, state, phase, attempts, created_ms, due_ms, changed_ms, last_outcome, decided_by";
    /** As COLUMNS, without the parameters: a list shows many actions, and each may carry up to 128 KB of them. */
    private static final String LIST_COLUMNS = COLUMNS.replace("params,", "CAST(NULL AS CLOB),");
    /** States that move by themselves when their due time comes; queued ones wait while the breaker is open. */
    private static final String TIMED = "('awaiting_approval', 'queued', 'active', 'undo_queued')";
    private static final String TIMED_BUT_QUEUED = "('awaiting_approval', 'active', 'undo_queued')";
    private static final String UNFINISHED = "('awaiting_approval', 'queued', 'running', 'active', 'undo_queued')";
    static final String PRUNED = "pruned";
    /**
     * What retention keeps, whatever its age: actions under way, and a failed undo (what it was to
     * undo may still be in place, and an operator may undo it again).
     */
    private static final String KEPT = "(state IN " + UNFINISHED + " OR (state = 'failed' AND phase = 'undo'))";
    private static final String KEPT_A = "(a.state IN " + UNFINISHED + " OR (a.state = 'failed' AND a.phase = 'undo'))";
    private static final String WAITING = "('awaiting_approval', 'queued', 'running', 'undo_queued')";

    private final EmbeddedDataSource dataSource;
    private final Connection c;
    private final ReceiptSigner signer;
    private long lastSeq;
    private String lastHash;

    ActionStore(Path dir, ReceiptSigner signer) throws SQLException {
        this(dir, receiptsExist -> signer);
    }

    /** How the receipt key is had, once it is known whether receipts exist already. */
    @FunctionalInterface
    interface KeySource {
        ReceiptSigner signer(boolean receiptsExist) throws java.io.IOException;
    }

    ActionStore(Path dir, KeySource keys) throws SQLException {
        this.dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(dir.toAbsolutePath().toString());
        dataSource.setCreateDatabase("create");
        this.c = dataSource.getConnection();
        c.setAutoCommit(false);
        ActionSchema.createIfMissing(c);
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT seq, hash FROM receipt ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY")) {
            lastSeq = r.next() ? r.getLong(1) : 0;
            lastHash = lastSeq == 0 ? ReceiptSigner.GENESIS : r.getString(2);
        }
        c.commit();
        try {
            this.signer = keys.signer(lastSeq > 0);
        } catch (java.io.IOException | RuntimeException e) {
            close();
            throw new IllegalStateException("cannot open the receipt key: " + e.getMessage(), e);
        }
    }

    String keyId() {
        return signer.keyId();
    }

    /** A change and its receipt, written together or not at all. */
    @FunctionalInterface
    interface Change<T> {
        T apply() throws SQLException;
    }

    synchronized <T> T inTransaction(Change<T> change) {
        long seq = lastSeq;
        String hash = lastHash;
        try {
            T result = change.apply();
            c.commit();
            return result;
        } catch (Throwable e) {
            lastSeq = seq;
            lastHash = hash;
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error err) {
                throw err; // after the rollback: a half-done change must not ride on the next commit
            }
            throw new IllegalStateException("the response database failed: " + e.getMessage(), e);
        }
    }

    // ---- arming

    record Arming(boolean armed, long changedMs, String changedBy) {}

    synchronized Map<String, Arming> armings() {
        return inTransaction(this::readArmings);
    }

    /** Inside a transaction. */
    Map<String, Arming> readArmings() throws SQLException {
        Map<String, Arming> all = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT name, armed, changed_ms, changed_by FROM responder_arming ORDER BY name")) {
            while (r.next()) {
                all.put(r.getString(1), new Arming(r.getShort(2) == 1, r.getLong(3), r.getString(4)));
            }
        }
        return all;
    }

    /** Inside a transaction. */
    boolean armed(String responder) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT armed FROM responder_arming WHERE name = ?")) {
            q.setString(1, responder);
            try (ResultSet r = q.executeQuery()) {
                return r.next() && r.getShort(1) == 1;
            }
        }
    }

    /** Must run inside {@link #inTransaction}. */
    void setArmed(String responder, boolean armed, String user, long nowMs, String reason) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(
                "UPDATE responder_arming SET armed = ?, changed_ms = ?, changed_by = ? WHERE name = ?")) {
            u.setShort(1, (short) (armed ? 1 : 0));
            u.setLong(2, nowMs);
            u.setString(3, user);
            u.setString(4, responder);
            if (u.executeUpdate() == 0) {
                try (PreparedStatement i = c.prepareStatement("INSERT INTO responder_arming VALUES (?, ?, ?, ?)")) {
                    i.setString(1, responder);
                    i.setShort(2, (short) (armed ? 1 : 0));
                    i.setLong(3, nowMs);
                    i.setString(4, user);
                    i.executeUpdate();
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("responder", responder);
        body.put("user", user);
        body.put("reason", reason);
        receipt(null, nowMs, armed ? "armed" : "disarmed", body);
    }

    // ---- actions

    /** Must run inside {@link #inTransaction}. */
    void insert(ActionDTO a, String receiptKind) throws SQLException {
        try (PreparedStatement i = c.prepareStatement("INSERT INTO action (" + COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            String[] target = a.target.split(":", 2);
            i.setString(1, a.id);
            i.setString(2, a.responder);
            i.setString(3, cut(a.alertId, 128));
            i.setString(4, cut(a.rule, 256));
            i.setString(5, cut(a.entity, 512));
            i.setString(6, cut(a.verb, 64));
            i.setString(7, target[0]);
            i.setString(8, cut(target[1], ActionSchema.TEXT));
            i.setString(9, cut(a.description, ActionSchema.TEXT));
            i.setString(10, Jsoner.serialize(a.parameters));
            i.setLong(11, a.lastsMs);
            i.setString(12, a.state.label());
            i.setString(13, a.phase);
            i.setInt(14, a.attempts);
            i.setLong(15, a.createdMs);
            i.setLong(16, a.dueMs);
            i.setLong(17, a.changedMs);
            i.setString(18, cut(a.output, ActionSchema.OUTPUT));
            i.setString(19, a.decidedBy);
            i.executeUpdate();
        }
        receipt(a, receiptKind);
    }

    /**
     * Writes the action's new state (the caller changed the DTO) and its receipt, none when
     * {@code receiptKind} is null (a change of schedule only). Must run inside {@link #inTransaction}.
     */
    void update(ActionDTO a, String receiptKind) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE action SET state = ?, phase = ?, attempts = ?, due_ms = ?, "
                + "changed_ms = ?, last_outcome = ?, decided_by = ? WHERE id = ?")) {
            u.setString(1, a.state.label());
            u.setString(2, a.phase);
            u.setInt(3, a.attempts);
            u.setLong(4, a.dueMs);
            u.setLong(5, a.changedMs);
            u.setString(6, cut(a.output, ActionSchema.OUTPUT));
            u.setString(7, a.decidedBy);
            u.setString(8, a.id);
            if (u.executeUpdate() != 1) {
                throw new IllegalStateException("action " + a.id + " is not in the queue");
            }
        }
        if (receiptKind != null) {
            receipt(a, receiptKind);
        }
    }

    synchronized Optional<ActionDTO> get(String idOrPrefix) {
        return inTransaction(() -> find(idOrPrefix));
    }

    /** The action with this id or id prefix. Inside a transaction. */
    Optional<ActionDTO> find(String idOrPrefix) throws SQLException {
        if (idOrPrefix == null || idOrPrefix.isBlank()) {
            throw new IllegalArgumentException("name an action by its id or the first characters of it");
        }
        List<ActionDTO> found = query("SELECT " + COLUMNS + " FROM action WHERE id LIKE ? ESCAPE '!' ORDER BY id "
                + "FETCH FIRST 2 ROWS ONLY", escapeLike(idOrPrefix.trim()) + "%");
        if (found.size() > 1) {
            throw new IllegalArgumentException("more than one action starts with " + idOrPrefix + ": give more of its id");
        }
        return found.stream().findFirst();
    }

    synchronized List<ActionDTO> list(List<ActionState> states, int limit) {
        String where = states.isEmpty() ? "" : " WHERE state IN (" + states.stream().map(s -> "'" + s.label() + "'")
                .collect(Collectors.joining(", ")) + ")";
        return inTransaction(() -> query("SELECT " + LIST_COLUMNS + " FROM action" + where
                + " ORDER BY created_ms DESC, id FETCH FIRST " + Math.max(1, Math.min(limit, 10_000)) + " ROWS ONLY"));
    }

    /** An action of this responder on this target that has not finished, if any. Inside a transaction. */
    Optional<ActionDTO> unfinished(String responder, String verb, String target) throws SQLException {
        String[] t = target.split(":", 2);
        return query("SELECT " + COLUMNS + " FROM action WHERE responder = ? AND target = ? AND target_kind = ? AND verb = ? "
                + "AND state IN " + UNFINISHED + " FETCH FIRST 1 ROWS ONLY",
                responder, t[1], t[0], verb).stream().findFirst();
    }

    /**
     * Whether the responder already has this very request of this alert: queued, approved, run,
     * rejected by an operator. Not when it never got that far (refused, dry run while unarmed,
     * approval expired): a held alert offered again may get it then. Inside a transaction.
     */
    boolean decidedFor(String alertId, String responder, String verb, String target) throws SQLException {
        String[] t = target.split(":", 2);
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM action WHERE alert_id = ? AND responder = ? AND verb = ? "
                + "AND target_kind = ? AND target = ? AND state NOT IN ('refused', 'dry_run', 'expired') FETCH FIRST 1 ROWS ONLY")) {
            q.setString(1, cut(alertId, 128)); // as inserted
            q.setString(2, cut(responder, 128));
            q.setString(3, cut(verb, 64));
            q.setString(4, t[0]);
            q.setString(5, cut(t[1], ActionSchema.TEXT));
            try (ResultSet r = q.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Inside a transaction. */
    long waiting() throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM action WHERE state IN " + WAITING)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The timed actions due by now, earliest first. Inside a transaction. */
    List<ActionDTO> due(long nowMs, int limit, boolean queuedToo) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM action WHERE state IN " + (queuedToo ? TIMED : TIMED_BUT_QUEUED)
                + " AND due_ms > 0 AND due_ms <= ? ORDER BY due_ms FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY", nowMs);
    }

    /** Actions that wait for their responder to come back (due 0) are due now again. Inside a transaction. */
    int dueAgain(String responder, long nowMs) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE action SET due_ms = ? WHERE responder = ? AND due_ms = 0 "
                + "AND state IN ('queued', 'undo_queued')")) {
            u.setLong(1, nowMs);
            u.setString(2, responder);
            return u.executeUpdate();
        }
    }

    /** When the next timed action is due, or 0 when none is. */
    synchronized long nextDue(boolean queuedToo) {
        return inTransaction(() -> {
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT MIN(due_ms) FROM action WHERE state IN "
                            + (queuedToo ? TIMED : TIMED_BUT_QUEUED) + " AND due_ms > 0")) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /** Actions a crash left running. Inside a transaction. */
    List<ActionDTO> running() throws SQLException {
        return query("SELECT " + COLUMNS + " FROM action WHERE state = 'running'");
    }

    synchronized Map<String, Long> countsByState() {
        return inTransaction(() -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT responder, state, COUNT(*) FROM action GROUP BY responder, state")) {
                while (r.next()) {
                    counts.put(r.getString(1) + '\u0000' + r.getString(2), r.getLong(3));
                }
            }
            return counts;
        });
    }

    private List<ActionDTO> query(String sql, Object... args) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            List<ActionDTO> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(row(r));
                }
            }
            return out;
        }
    }

    private static ActionDTO row(ResultSet r) throws SQLException {
        ActionDTO a = new ActionDTO();
        a.id = r.getString(1);
        a.responder = r.getString(2);
        a.alertId = r.getString(3);
        a.rule = r.getString(4);
        a.entity = r.getString(5);
        a.verb = r.getString(6);
        a.target = r.getString(7) + ":" + r.getString(8);
        a.description = r.getString(9);
        a.parameters = parameters(r.getString(10));
        a.lastsMs = r.getLong(11);
        a.state = ActionState.of(r.getString(12));
        a.phase = r.getString(13);
        a.attempts = r.getInt(14);
        a.createdMs = r.getLong(15);
        a.dueMs = r.getLong(16);
        a.changedMs = r.getLong(17);
        a.output = r.getString(18);
        a.decidedBy = r.getString(19);
        return a;
    }

    private static Map<String, String> parameters(String json) {
        if (json == null) {
            return null; // left out of lists
        }
        JsonObject o = Jsoner.deserialize(json, new JsonObject());
        Map<String, String> out = new LinkedHashMap<>();
        o.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    // ---- circuit breakers

    record OpenBreaker(long untilMs, String reason) {}

    /** The breakers open at {@code nowMs}, by name. */
    synchronized Map<String, OpenBreaker> openBreakers(long nowMs) {
        return inTransaction(() -> {
            Map<String, OpenBreaker> open = new LinkedHashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT name, open_until_ms, reason FROM breaker WHERE open_until_ms > ?")) {
                q.setLong(1, nowMs);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        open.put(r.getString(1), new OpenBreaker(r.getLong(2), r.getString(3)));
                    }
                }
            }
            return open;
        });
    }

    /** Records that a breaker opened, and receipts it. Must run inside {@link #inTransaction}. */
    void breakerOpened(String name, OpenBreaker open, long nowMs) throws SQLException {
        try (PreparedStatement d = c.prepareStatement("DELETE FROM breaker WHERE name = ?")) {
            d.setString(1, name);
            d.executeUpdate();
        }
        try (PreparedStatement i = c.prepareStatement("INSERT INTO breaker VALUES (?, ?, ?)")) {
            i.setString(1, name);
            i.setLong(2, open.untilMs());
            i.setString(3, cut(open.reason(), ActionSchema.TEXT));
            i.executeUpdate();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("breaker", name);
        body.put("reason", open.reason());
        body.put("until_ms", open.untilMs());
        receipt(null, nowMs, "breaker-opened", body);
    }

    /** Closes every breaker by an operator's hand, and receipts it. Must run inside {@link #inTransaction}. */
    void breakersReset(String user, List<String> wereOpen, long nowMs) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM breaker");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user);
        body.put("open", wereOpen);
        receipt(null, nowMs, "breaker-reset", body);
    }

    /**
     * A receipt about an action that changes nothing in its row: an abandoned attempt's outcome
     * arriving late. Must run inside {@link #inTransaction}.
     */
    void note(String actionId, String kind, String output, long nowMs) throws SQLException {
        Optional<ActionDTO> found = find(actionId);
        if (found.isPresent()) {
            ActionDTO a = found.get();
            a.output = output;
            a.changedMs = nowMs;
            receipt(a, kind);
        }
    }

    // ---- retention

    /** What one pruning removed; {@code heldBy}: when an unfinished action kept older receipts, which one. */
    record Pruned(long throughSeq, int receipts, int actions, String heldBy) {}

    /**
     * Removes, oldest first, at most {@code batch} receipts written before {@code beforeMs}, and
     * the finished actions left without receipts; receipts of actions still under way and all
     * after them stay. A signed "pruned" receipt naming the last removed receipt and its hash
     * keeps the chain verifiable from where it now starts. Returns null when nothing was old enough.
     */
    synchronized Pruned prune(long beforeMs, int batch, long nowMs) {
        return inTransaction(() -> {
            long first = scalar("SELECT MIN(seq) FROM receipt");
            long oldestNeeded = scalar("SELECT MIN(r.seq) FROM receipt r JOIN action a ON r.action_id = a.id WHERE " + KEPT_A);
            long firstYoung = scalar("SELECT MIN(seq) FROM receipt WHERE at_ms >= " + beforeMs);
            long byAge = Math.min(first + batch - 1, firstYoung > 0 ? firstYoung - 1 : lastSeq);
            long through = oldestNeeded > 0 ? Math.min(byAge, oldestNeeded - 1) : byAge;
            String heldBy = oldestNeeded > 0 && oldestNeeded <= byAge ? holder(oldestNeeded) : null;
            if (first == 0 || through < first) {
                return heldBy == null ? null : new Pruned(0, 0, 0, heldBy);
            }
            // Pruning must not bury a broken chain under a signed pruned receipt: what goes is checked first.
            Verification v = walk(through);
            if (!v.intact) {
                throw new IllegalStateException("the receipt chain is broken at receipt " + v.firstBrokenSeq + " (" + v.problem
                        + "); nothing is pruned until it is looked into (amoskys:actions verify)");
            }
            String throughHash;
            try (PreparedStatement q = c.prepareStatement("SELECT hash FROM receipt WHERE seq = ?")) {
                q.setLong(1, through);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        throw new IllegalStateException("receipt " + through + " is missing: amoskys:actions verify");
                    }
                    throughHash = r.getString(1);
                }
            }
            int receipts;
            int actions;
            try (Statement s = c.createStatement()) {
                receipts = s.executeUpdate("DELETE FROM receipt WHERE seq <= " + through);
                actions = s.executeUpdate("DELETE FROM action WHERE NOT " + KEPT + " AND changed_ms < " + beforeMs
                        + " AND NOT EXISTS (SELECT 1 FROM receipt r WHERE r.action_id = action.id)");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("through_seq", through);
            body.put("through_hash", throughHash);
            body.put("receipts", receipts);
            body.put("actions", actions);
            body.put("before_ms", beforeMs);
            receipt(null, nowMs, PRUNED, body);
            return new Pruned(through, receipts, actions, heldBy);
        });
    }

    /** Which action the receipt {@code seq} belongs to, and its state, to say what holds retention back. */
    private String holder(long seq) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT a.id, a.responder, a.state FROM receipt r JOIN action a ON r.action_id = a.id "
                        + "WHERE r.seq = " + seq)) {
            return r.next() ? "action " + r.getString(1) + " of " + r.getString(2) + " (" + r.getString(3) + ")" : null;
        }
    }

    private long scalar(String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    /** The first receipt the chain holds and the hash it follows, or why the pruned receipt {@code seq} cannot say. */
    private record ChainStart(long seq, String previousHash, String problem) {}

    /** Where the chain starts after pruning, as the newest "pruned" receipt (itself chained and signed) vouches. */
    private ChainStart chainStart() throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT seq, body FROM receipt WHERE kind = '" + PRUNED + "' ORDER BY seq DESC "
                        + "FETCH FIRST 1 ROWS ONLY")) {
            if (!r.next()) {
                return new ChainStart(1, ReceiptSigner.GENESIS, null);
            }
            long seq = r.getLong(1);
            JsonObject body = Jsoner.deserialize(r.getString(2), new JsonObject());
            if (!(body.get("through_seq") instanceof Number through) || !(body.get("through_hash") instanceof String hash)) {
                return new ChainStart(seq, "", "receipt " + seq + " (pruned) was changed: it no longer says where the chain starts");
            }
            return new ChainStart(through.longValue() + 1, hash, null);
        }
    }

    // ---- receipts

    private void receipt(ActionDTO a, String kind) throws SQLException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", a.id);
        body.put("responder", a.responder);
        body.put("alert", a.alertId);
        body.put("rule", a.rule);
        body.put("entity", a.entity);
        body.put("verb", a.verb);
        body.put("target", a.target);
        body.put("description", a.description);
        body.put("parameters", a.parameters);
        body.put("lasts_ms", a.lastsMs);
        body.put("state", a.state.label());
        body.put("phase", a.phase);
        body.put("attempt", a.attempts);
        body.put("output", capped(a.output));
        if (a.decidedBy != null) {
            body.put("user", a.decidedBy);
        }
        receipt(a.id, a.changedMs, kind, body);
    }

    private void receipt(String actionId, long atMs, String kind, Map<String, Object> body) throws SQLException {
        long seq = lastSeq + 1;
        String json = Jsoner.serialize(body);
        String hash = ReceiptSigner.hash(lastHash, seq, actionId, atMs, kind, json);
        try (PreparedStatement i = c.prepareStatement("INSERT INTO receipt VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            i.setLong(1, seq);
            i.setString(2, actionId);
            i.setLong(3, atMs);
            i.setString(4, kind);
            i.setString(5, json);
            i.setString(6, lastHash);
            i.setString(7, hash);
            i.setString(8, signer.sign(hash));
            i.setString(9, signer.keyId());
            i.executeUpdate();
        }
        lastSeq = seq;
        lastHash = hash;
    }

    synchronized List<ReceiptDTO> receipts(String actionId) {
        return inTransaction(() -> {
            List<ReceiptDTO> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT seq, action_id, at_ms, kind, body, prev_hash, hash, signature, "
                    + "key_id FROM receipt WHERE action_id = ? ORDER BY seq")) {
                q.setString(1, actionId);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(receiptRow(r));
                    }
                }
            }
            return out;
        });
    }

    /** Walks every receipt in order, re-computing each hash and checking each signature. */
    synchronized Verification verify() {
        return inTransaction(() -> walk(Long.MAX_VALUE));
    }

    /** Checks the receipts from where the chain starts through {@code upToSeq} (all: also the end). Inside a transaction. */
    private Verification walk(long upToSeq) throws SQLException {
        Verification v = new Verification();
        v.keyId = signer.keyId();
        ChainStart start = chainStart();
        if (start.problem() != null) {
            v.firstBrokenSeq = start.seq();
            v.problem = start.problem();
            v.lastHash = "";
            return v;
        }
        long expected = start.seq();
        String previous = start.previousHash();
        v.prunedThroughSeq = expected - 1;
        try (PreparedStatement q = c.prepareStatement("SELECT seq, action_id, at_ms, kind, body, prev_hash, hash, signature, "
                + "key_id FROM receipt WHERE seq <= ? ORDER BY seq")) {
            q.setLong(1, upToSeq);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    ReceiptDTO receipt = receiptRow(r);
                    String problem = problem(receipt, expected, previous);
                    v.receipts++;
                    if (problem != null && v.firstBrokenSeq < 0) {
                        v.firstBrokenSeq = receipt.seq;
                        v.problem = problem;
                    }
                    previous = receipt.hash;
                    expected = receipt.seq + 1;
                }
            }
        }
        long end = Math.min(upToSeq, lastSeq);
        if (v.firstBrokenSeq < 0 && expected - 1 < end) {
            v.firstBrokenSeq = expected;
            v.problem = "receipts " + expected + " to " + end + " missing"
                    + (end == lastSeq ? " at the end (this platform wrote them)" : "");
        }
        v.intact = v.firstBrokenSeq < 0;
        v.lastHash = previous;
        return v;
    }

    private String problem(ReceiptDTO r, long expectedSeq, String previousHash) {
        if (r.seq != expectedSeq) {
            return "receipt " + expectedSeq + (r.seq > expectedSeq ? " to " + (r.seq - 1) + " missing" : " repeated");
        }
        if (!r.previousHash.equals(previousHash)) {
            return "receipt " + r.seq + " does not follow receipt " + (r.seq - 1) + " (its previous hash differs)";
        }
        if (!ReceiptSigner.hash(r.previousHash, r.seq, r.actionId, r.atMs, r.kind, r.body).equals(r.hash)) {
            return "receipt " + r.seq + " was changed after it was written (its hash differs)";
        }
        if (!signer.keyId().equals(r.keyId) || !signer.verify(r.hash, r.signature)) {
            return "receipt " + r.seq + " is not signed by the platform's receipt key " + signer.keyId();
        }
        return null;
    }

    private static ReceiptDTO receiptRow(ResultSet r) throws SQLException {
        ReceiptDTO d = new ReceiptDTO();
        d.seq = r.getLong(1);
        d.actionId = r.getString(2);
        d.atMs = r.getLong(3);
        d.kind = r.getString(4);
        d.body = r.getString(5);
        d.previousHash = r.getString(6);
        d.hash = r.getString(7);
        d.signature = r.getString(8);
        d.keyId = r.getString(9);
        return d;
    }

    /** How many receipts there are: a new receipt key must not be made under existing receipts. */
    synchronized long receiptCount() {
        return lastSeq;
    }

    /** For tests that read the database directly, inside {@link #inTransaction}. */
    Connection connectionForTests() {
        return c;
    }

    /** For tests of tampering: runs SQL against the database directly. */
    synchronized void tamper(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
        c.commit();
    }

    /** An action output as rows and receipts keep it. */
    static String capped(String output) {
        return cut(output, ActionSchema.OUTPUT);
    }

    /** Why the action's fields do not fit the queue, or empty: nothing is cut silently. */
    static Optional<String> tooLarge(ActionDTO a) {
        if (a.verb.length() > 64 || a.target.length() > ActionSchema.TEXT || a.description.length() > ActionSchema.TEXT) {
            return Optional.of("the action's verb, target or description is too long (at most 64, "
                    + ActionSchema.TEXT + " and " + ActionSchema.TEXT + " characters)");
        }
        int parameters = Jsoner.serialize(a.parameters).length();
        if (parameters > 128 * 1024) {
            return Optional.of("the action's parameters take " + parameters + " characters, more than 131072");
        }
        return Optional.empty();
    }

    private static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            // closing anyway
        }
        try {
            dataSource.setShutdownDatabase("shutdown");
            dataSource.getConnection().close();
        } catch (SQLException expected) {
            // Derby reports a clean shutdown as an exception
        }
    }
}
