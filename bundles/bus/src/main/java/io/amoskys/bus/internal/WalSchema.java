package io.amoskys.bus.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The write-ahead log's tables (docs/PROTOCOL.md, "Storage"), created on first start. */
final class WalSchema {
    static final byte[] GENESIS = new byte[32];

    /** Finds the envelope holding an event: the first of its agent whose highest event sequence is at or above it. */
    private static final String EVENT_INDEX = "CREATE INDEX envelope_agent_event ON envelope (agent_id, max_event_seq)";

    private static final String[] TABLES = {
        // One row per accepted envelope, exactly as the agent signed it.
        "CREATE TABLE envelope (log_offset BIGINT NOT NULL PRIMARY KEY, agent_id VARCHAR(128) NOT NULL, "
            + "seq BIGINT NOT NULL, key_id VARCHAR(64) NOT NULL, kinds VARCHAR(256) NOT NULL, "
            + "event_count INT NOT NULL, signed_ns BIGINT NOT NULL, commit_no BIGINT NOT NULL, "
            + "size INT NOT NULL, bytes BLOB(64M) NOT NULL, min_event_seq BIGINT, max_event_seq BIGINT)",
        "CREATE UNIQUE INDEX envelope_agent_seq ON envelope (agent_id, seq)",
        EVENT_INDEX,
        // One row per group commit: the hash chain.
        "CREATE TABLE commit_log (commit_no BIGINT NOT NULL PRIMARY KEY, first_offset BIGINT NOT NULL, "
            + "last_offset BIGINT NOT NULL, envelope_count INT NOT NULL, bytes BIGINT NOT NULL, "
            + "committed_ms BIGINT NOT NULL, prev_hash CHAR(32) FOR BIT DATA NOT NULL, "
            + "hash CHAR(32) FOR BIT DATA NOT NULL)",
        "CREATE INDEX commit_log_time ON commit_log (committed_ms)",
        // Where the surviving chain starts once retention removed older commits.
        "CREATE TABLE chain_anchor (id INT NOT NULL PRIMARY KEY, commit_no BIGINT NOT NULL, "
            + "last_offset BIGINT NOT NULL, hash CHAR(32) FOR BIT DATA NOT NULL)",
        // Per agent: the highest sequence ever accepted, and the highest that retention removed,
        // kept apart from envelopes so that retention never lets an old envelope in twice.
        "CREATE TABLE agent_state (agent_id VARCHAR(128) NOT NULL PRIMARY KEY, max_seq BIGINT NOT NULL, "
            + "removed_seq BIGINT NOT NULL DEFAULT 0)",
        "CREATE TABLE consumer_offset (consumer VARCHAR(128) NOT NULL PRIMARY KEY, committed BIGINT NOT NULL)",
        "CREATE TABLE quarantine (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, received_ms BIGINT NOT NULL, "
            + "reason VARCHAR(64) NOT NULL, detail VARCHAR(1000) NOT NULL, peer VARCHAR(256) NOT NULL, "
            + "agent_id VARCHAR(128) NOT NULL, key_id VARCHAR(64) NOT NULL, size INT NOT NULL, "
            + "bytes BLOB(64M) NOT NULL)",
    };

    private WalSchema() {}

    static void createIfMissing(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rs = meta.getTables(null, null, "ENVELOPE", null)) {
            if (rs.next()) {
                addEventRange(c, meta);
                return;
            }
        }
        try (Statement s = c.createStatement()) {
            for (String ddl : TABLES) {
                s.executeUpdate(ddl);
            }
            s.executeUpdate("INSERT INTO chain_anchor VALUES (1, 0, 0, X'" + "00".repeat(32) + "')");
        }
        c.commit();
    }

    /**
     * A log made before events could be found by id gets the columns and the index; its older
     * envelopes keep nulls there, so their events are not found by id (they still replay).
     */
    private static void addEventRange(Connection c, DatabaseMetaData meta) throws SQLException {
        try (ResultSet rs = meta.getColumns(null, null, "ENVELOPE", "MAX_EVENT_SEQ")) {
            if (rs.next()) {
                return;
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("ALTER TABLE envelope ADD COLUMN min_event_seq BIGINT");
            s.executeUpdate("ALTER TABLE envelope ADD COLUMN max_event_seq BIGINT");
            s.executeUpdate(EVENT_INDEX);
        }
        c.commit();
    }
}
