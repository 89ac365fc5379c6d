package io.amoskys.alerts.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The alert store's tables (docs/ALERTS.md, "Storage"), created on first start. */
final class AlertSchema {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AlertSchema.class);
    static final int ID = 128;
    static final int RULE = 256;
    static final int ENTITY = 512;
    static final int TITLE = 1000;
    static final int TAGS = 2000;
    static final int GROUP_BY = 4000;
    static final int MODEL_VERSIONS = 2000;
    static final int EVENT_ID = 256;
    static final int SCORE_TEXT = 4000;
    static final int USER = 256;
    static final int COMMENT = 2000;
    static final int EXPLANATION = 32_000;

    /** The order in which the store closes open alerts past its cap, per state (DerbyAlertStore). */
    private static final String OPEN_ORDER = "CREATE INDEX alert_open_order ON alert (state, severity_rank, last_admit_ms)";

    private static final String[] TABLES = {
        // One row per stored alert; lists are newline-separated text (see Text).
        "CREATE TABLE alert (id VARCHAR(128) NOT NULL PRIMARY KEY, rule VARCHAR(256) NOT NULL, "
            + "entity VARCHAR(512) NOT NULL, severity VARCHAR(16) NOT NULL, severity_rank SMALLINT NOT NULL, "
            + "title VARCHAR(1000) NOT NULL, state VARCHAR(16) NOT NULL, alert_count BIGINT NOT NULL, "
            + "first_seen_ns BIGINT NOT NULL, last_seen_ns BIGINT NOT NULL, created_ms BIGINT NOT NULL, "
            + "last_admit_ms BIGINT NOT NULL, state_ms BIGINT NOT NULL, tags VARCHAR(2000) NOT NULL, "
            + "group_by VARCHAR(4000) NOT NULL, model_versions VARCHAR(2000) NOT NULL, events_kept INT NOT NULL, "
            + "events_dropped BIGINT NOT NULL, scores_kept INT NOT NULL, scores_dropped BIGINT NOT NULL, "
            + "explanation CLOB(64K))",
        "CREATE INDEX alert_key ON alert (rule, entity, state)",
        "CREATE INDEX alert_admitted ON alert (last_admit_ms)",
        "CREATE INDEX alert_closed ON alert (state, state_ms)",
        OPEN_ORDER,
        // Evidence: the first event ids and scores of each alert, in the order they came.
        "CREATE TABLE alert_event (alert_id VARCHAR(128) NOT NULL, seq INT NOT NULL, event_id VARCHAR(256) NOT NULL, "
            + "PRIMARY KEY (alert_id, seq))",
        "CREATE INDEX alert_event_id ON alert_event (event_id)",
        "CREATE TABLE alert_score (alert_id VARCHAR(128) NOT NULL, seq INT NOT NULL, detector VARCHAR(256) NOT NULL, "
            + "model_version VARCHAR(128) NOT NULL, entity VARCHAR(512) NOT NULL, ts_ns BIGINT NOT NULL, "
            + "score_value DOUBLE NOT NULL, event_ids VARCHAR(4000) NOT NULL, contributions VARCHAR(4000) NOT NULL, "
            + "PRIMARY KEY (alert_id, seq))",
        // The audit trail of lifecycle changes.
        "CREATE TABLE alert_history (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, alert_id VARCHAR(128) NOT NULL, "
            + "at_ms BIGINT NOT NULL, user_name VARCHAR(256) NOT NULL, from_state VARCHAR(16) NOT NULL, "
            + "to_state VARCHAR(16) NOT NULL, user_comment VARCHAR(2000), suppression_id VARCHAR(64))",
        "CREATE INDEX alert_history_alert ON alert_history (alert_id)",
        "CREATE TABLE suppression (id VARCHAR(64) NOT NULL PRIMARY KEY, rule VARCHAR(256) NOT NULL, "
            + "entity VARCHAR(512) NOT NULL, reason VARCHAR(2000) NOT NULL, created_by VARCHAR(256) NOT NULL, "
            + "created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, hits BIGINT NOT NULL, last_hit_ms BIGINT NOT NULL, "
            + "alert_id VARCHAR(128), removed_by VARCHAR(256), removed_ms BIGINT NOT NULL)",
        "CREATE TABLE store_info (name VARCHAR(64) NOT NULL PRIMARY KEY, info VARCHAR(256) NOT NULL)",
        "INSERT INTO store_info VALUES ('schema', '1')",
        "INSERT INTO store_info VALUES ('glob-escapes', '1')",
    };

    private AlertSchema() {}

    static void createIfMissing(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rs = meta.getTables(null, null, "ALERT", null)) {
            if (rs.next()) {
                addMissingIndexes(c, meta);
                escapeOldSuppressions(c);
                return;
            }
        }
        try (Statement s = c.createStatement()) {
            for (String ddl : TABLES) {
                s.executeUpdate(ddl);
            }
        }
        c.commit();
    }

    /**
     * Suppressions stored before a backslash could escape a wildcard, rewritten once to mean what
     * they meant: one made from a false positive is its alert's own rule and entity, so it is quoted
     * (a network-chosen {@code plant/*} suppressed every {@code plant/...}); in an operator's pattern
     * each backslash was a character, so it is doubled. Text without {@code *} or {@code ?} never
     * changes meaning.
     */
    private static void escapeOldSuppressions(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT info FROM store_info WHERE name = 'glob-escapes'")) {
            if (rs.next()) {
                return;
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT s.id, s.rule, s.entity, s.alert_id, a.rule, a.entity FROM suppression s "
                     + "LEFT JOIN alert a ON a.id = s.alert_id");
             PreparedStatement update = c.prepareStatement("UPDATE suppression SET rule = ?, entity = ? WHERE id = ?")) {
            while (rs.next()) {
                // A false positive's suppression holding its alert's own text (or whose alert is gone) is not quoted yet.
                boolean fromAlert = rs.getString(4) != null;
                if (fromAlert && rs.getString(5) != null
                        && !(rs.getString(5).equals(rs.getString(2)) && rs.getString(6).equals(rs.getString(3)))) {
                    continue;
                }
                String rule = fromAlert ? Glob.quote(rs.getString(2)) : doubledBackslashes(rs.getString(2));
                String entity = fromAlert ? Glob.quote(rs.getString(3)) : doubledBackslashes(rs.getString(3));
                if (rule.equals(rs.getString(2)) && entity.equals(rs.getString(3))) {
                    continue;
                }
                if (rule.length() > RULE || entity.length() > ENTITY) {
                    LOG.warn("Suppression {} is too long to keep its meaning with escapes; it stays as it is: rule {}, entity {}",
                            rs.getString(1), rs.getString(2), rs.getString(3));
                    continue;
                }
                update.setString(1, rule);
                update.setString(2, entity);
                update.setString(3, rs.getString(1));
                update.executeUpdate();
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO store_info VALUES ('glob-escapes', '1')");
        }
        c.commit();
    }

    private static String doubledBackslashes(String text) {
        return text.indexOf('*') < 0 && text.indexOf('?') < 0 ? text : text.replace("\\", "\\\\");
    }

    /** Indexes added after the tables' first release, made in a store created before them. */
    private static void addMissingIndexes(Connection c, DatabaseMetaData meta) throws SQLException {
        try (ResultSet rs = meta.getIndexInfo(null, null, "ALERT", false, true)) {
            while (rs.next()) {
                if ("ALERT_OPEN_ORDER".equals(rs.getString("INDEX_NAME"))) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate(OPEN_ORDER);
        }
        c.commit();
    }
}
