package io.amoskys.response.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The response database's tables (docs/RESPONSE.md, "Storage"), created on first start. */
final class ActionSchema {
    static final int OUTPUT = 4000;
    static final int TEXT = 2000;

    /** Each table with the statements that make it; a table added in a later version is made when missing. */
    private static final Map<String, List<String>> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("RESPONDER_ARMING", List.of(
            "CREATE TABLE responder_arming (name VARCHAR(128) NOT NULL PRIMARY KEY, armed SMALLINT NOT NULL, "
                + "changed_ms BIGINT NOT NULL, changed_by VARCHAR(256) NOT NULL)"));
        // phase: 'do' while the action waits to run, 'undo' once it waits to be undone.
        TABLES.put("ACTION", List.of(
            "CREATE TABLE action (id VARCHAR(40) NOT NULL PRIMARY KEY, responder VARCHAR(128) NOT NULL, "
                + "alert_id VARCHAR(128) NOT NULL, rule VARCHAR(256) NOT NULL, entity VARCHAR(512) NOT NULL, "
                + "verb VARCHAR(64) NOT NULL, target_kind VARCHAR(16) NOT NULL, target VARCHAR(2000) NOT NULL, "
                + "description VARCHAR(2000) NOT NULL, params CLOB(128K) NOT NULL, lasts_ms BIGINT NOT NULL, "
                + "state VARCHAR(24) NOT NULL, phase VARCHAR(8) NOT NULL, attempts INT NOT NULL, created_ms BIGINT NOT NULL, "
                + "due_ms BIGINT NOT NULL, changed_ms BIGINT NOT NULL, last_outcome VARCHAR(4000) NOT NULL, decided_by VARCHAR(256))",
            "CREATE INDEX action_due ON action (state, due_ms)",
            "CREATE INDEX action_created ON action (created_ms)",
            "CREATE INDEX action_target ON action (responder, target, state)",
            "CREATE INDEX action_changed ON action (changed_ms)"));
        TABLES.put("RECEIPT", List.of(
            "CREATE TABLE receipt (seq BIGINT NOT NULL PRIMARY KEY, action_id VARCHAR(40), at_ms BIGINT NOT NULL, "
                + "kind VARCHAR(32) NOT NULL, body CLOB(256K) NOT NULL, prev_hash CHAR(64) NOT NULL, hash CHAR(64) NOT NULL, "
                + "signature VARCHAR(128) NOT NULL, key_id VARCHAR(64) NOT NULL)",
            "CREATE INDEX receipt_action ON receipt (action_id)",
            "CREATE INDEX receipt_kind ON receipt (kind, seq)"));
        // Open circuit breakers ('*' is the one over all responders): a restart must not close them.
        TABLES.put("BREAKER", List.of(
            "CREATE TABLE breaker (name VARCHAR(128) NOT NULL PRIMARY KEY, open_until_ms BIGINT NOT NULL, "
                + "reason VARCHAR(2000) NOT NULL)"));
    }

    private ActionSchema() {}

    static void createIfMissing(Connection c) throws SQLException {
        for (Map.Entry<String, List<String>> table : TABLES.entrySet()) {
            try (ResultSet found = c.getMetaData().getTables(null, null, table.getKey(), null)) {
                if (found.next()) {
                    continue;
                }
            }
            try (Statement s = c.createStatement()) {
                for (String ddl : table.getValue()) {
                    s.execute(ddl);
                }
            }
        }
        c.commit();
    }
}
