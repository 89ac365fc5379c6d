package io.amoskys.response.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The response database's tables (docs/RESPONSE.md, "Storage"), created on first start. */
final class ActionSchema {
    static final int OUTPUT = 4000;
    static final int TEXT = 2000;

    /** Each table with the statement that makes it; a table added in a later version is made when missing. */
    private static final Map<String, String> TABLES = new LinkedHashMap<>();
    /** Each index with its table and statement; likewise made when missing, also on a table of an earlier version. */
    private static final List<String[]> INDEXES = List.of(
        new String[] {"ACTION", "ACTION_DUE", "CREATE INDEX action_due ON action (state, due_ms)"},
        new String[] {"ACTION", "ACTION_CREATED", "CREATE INDEX action_created ON action (created_ms)"},
        new String[] {"ACTION", "ACTION_TARGET", "CREATE INDEX action_target ON action (responder, target, state)"},
        new String[] {"ACTION", "ACTION_CHANGED", "CREATE INDEX action_changed ON action (changed_ms)"},
        new String[] {"ACTION", "ACTION_ALERT", "CREATE INDEX action_alert ON action (alert_id, responder)"},
        new String[] {"RECEIPT", "RECEIPT_ACTION", "CREATE INDEX receipt_action ON receipt (action_id)"},
        new String[] {"RECEIPT", "RECEIPT_KIND", "CREATE INDEX receipt_kind ON receipt (kind, seq)"},
        new String[] {"RECEIPT", "RECEIPT_AT", "CREATE INDEX receipt_at ON receipt (at_ms)"});

    static {
        TABLES.put("RESPONDER_ARMING", "CREATE TABLE responder_arming (name VARCHAR(128) NOT NULL PRIMARY KEY, "
                + "armed SMALLINT NOT NULL, changed_ms BIGINT NOT NULL, changed_by VARCHAR(256) NOT NULL)");
        // phase: 'do' while the action waits to run, 'undo' once it waits to be undone.
        TABLES.put("ACTION", "CREATE TABLE action (id VARCHAR(40) NOT NULL PRIMARY KEY, responder VARCHAR(128) NOT NULL, "
                + "alert_id VARCHAR(128) NOT NULL, rule VARCHAR(256) NOT NULL, entity VARCHAR(512) NOT NULL, "
                + "verb VARCHAR(64) NOT NULL, target_kind VARCHAR(16) NOT NULL, target VARCHAR(2000) NOT NULL, "
                + "description VARCHAR(2000) NOT NULL, params CLOB(128K) NOT NULL, lasts_ms BIGINT NOT NULL, "
                + "state VARCHAR(24) NOT NULL, phase VARCHAR(8) NOT NULL, attempts INT NOT NULL, created_ms BIGINT NOT NULL, "
                + "due_ms BIGINT NOT NULL, changed_ms BIGINT NOT NULL, last_outcome VARCHAR(4000) NOT NULL, decided_by VARCHAR(256))");
        TABLES.put("RECEIPT", "CREATE TABLE receipt (seq BIGINT NOT NULL PRIMARY KEY, action_id VARCHAR(40), "
                + "at_ms BIGINT NOT NULL, kind VARCHAR(32) NOT NULL, body CLOB(256K) NOT NULL, prev_hash CHAR(64) NOT NULL, "
                + "hash CHAR(64) NOT NULL, signature VARCHAR(128) NOT NULL, key_id VARCHAR(64) NOT NULL)");
        // Open circuit breakers ('*' is the one over all responders): a restart must not close them.
        TABLES.put("BREAKER", "CREATE TABLE breaker (name VARCHAR(128) NOT NULL PRIMARY KEY, "
                + "open_until_ms BIGINT NOT NULL, reason VARCHAR(2000) NOT NULL)");
    }

    private ActionSchema() {}

    static void createIfMissing(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (Map.Entry<String, String> table : TABLES.entrySet()) {
                if (!exists(c, table.getKey())) {
                    s.execute(table.getValue());
                }
            }
            for (String[] index : INDEXES) {
                if (!indexes(c, index[0]).contains(index[1])) {
                    s.execute(index[2]);
                }
            }
        }
        c.commit();
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (ResultSet found = c.getMetaData().getTables(null, null, table, null)) {
            return found.next();
        }
    }

    private static Set<String> indexes(Connection c, String table) throws SQLException {
        Set<String> names = new HashSet<>();
        try (ResultSet r = c.getMetaData().getIndexInfo(null, null, table, false, false)) {
            while (r.next()) {
                names.add(r.getString("INDEX_NAME"));
            }
        }
        return names;
    }
}
