package io.amoskys.bus.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.amoskys.schema.SignatureCheck;
import io.amoskys.schema.v1.Envelope;
import io.amoskys.schema.v1.EnvelopeBody;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * Proves the stored log is what was committed: walks the commits from the anchor, recomputes every
 * hash from the stored envelopes, checks that offsets run without gaps or reordering, and checks
 * every envelope's signature against the key that signed it. Reads only the database, so it works
 * on a copy of the log as well as on the live one.
 */
final class ChainVerifier {
    record Result(boolean intact, long commits, long envelopes, long events, long firstOffset, long lastOffset,
                  String problem) {
        String summary() {
            String range = envelopes == 0 ? "no envelopes" : "offsets " + firstOffset + ".." + lastOffset;
            return (intact ? "log intact: " : "LOG DAMAGED: " + problem + "; checked before it: ")
                    + commits + " commits, " + envelopes + " envelopes, " + events + " events, " + range;
        }
    }

    private final Function<String, Optional<java.security.PublicKey>> keys;

    /** @param keys the public key of a key id, enrolled or since revoked */
    ChainVerifier(Function<String, Optional<java.security.PublicKey>> keys) {
        this.keys = keys;
    }

    Result verify(Connection c) throws SQLException {
        byte[] previous;
        long expectedCommit;
        long expectedOffset;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT commit_no, last_offset, hash FROM chain_anchor WHERE id = 1")) {
            rs.next();
            expectedCommit = rs.getLong(1) + 1;
            expectedOffset = rs.getLong(2) + 1;
            previous = rs.getBytes(3);
        }
        // The log may be live: check the commits that exist now, not the ones landing meanwhile.
        long lastCommit;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(commit_no), 0) FROM commit_log")) {
            rs.next();
            lastCommit = rs.getLong(1);
        }
        long commits = 0;
        long envelopes = 0;
        long events = 0;
        long firstOffset = expectedOffset;
        try (Statement s = c.createStatement();
             ResultSet commit = s.executeQuery("SELECT commit_no, first_offset, last_offset, envelope_count, prev_hash, hash "
                     + "FROM commit_log WHERE commit_no <= " + lastCommit + " ORDER BY commit_no");
             PreparedStatement rows = c.prepareStatement("SELECT log_offset, key_id, event_count, bytes, agent_id, seq, kinds "
                     + "FROM envelope WHERE log_offset >= ? AND log_offset <= ? ORDER BY log_offset")) {
            while (commit.next()) {
                long no = commit.getLong(1);
                long first = commit.getLong(2);
                long last = commit.getLong(3);
                int count = commit.getInt(4);
                String where = "commit " + no;
                if (no != expectedCommit) {
                    return damaged(where + " follows commit " + (expectedCommit - 1) + ": commits are missing", commits, envelopes, events, firstOffset, expectedOffset);
                }
                if (first != expectedOffset || last - first + 1 != count) {
                    return damaged(where + " covers offsets " + first + ".." + last + " but " + expectedOffset
                            + " was next: envelopes are missing or reordered", commits, envelopes, events, firstOffset, expectedOffset);
                }
                if (!Arrays.equals(previous, commit.getBytes(5))) {
                    return damaged(where + " does not carry the hash of the commit before it", commits, envelopes, events, firstOffset, expectedOffset);
                }
                MessageDigest digest = ChainHash.begin(previous, no, count);
                long offset = first;
                rows.setLong(1, first);
                rows.setLong(2, last);
                try (ResultSet rs = rows.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getLong(1) != offset) {
                            return damaged("envelope " + offset + " of " + where + " is missing", commits, envelopes, events, firstOffset, expectedOffset);
                        }
                        byte[] bytes = rs.getBytes(4);
                        String bad = checkEnvelope(new Row(rs.getString(2), rs.getString(5), rs.getLong(6), rs.getString(7),
                                rs.getInt(3)), bytes);
                        if (bad != null) {
                            return damaged("envelope " + offset + ": " + bad, commits, envelopes, events, firstOffset, expectedOffset);
                        }
                        ChainHash.addEnvelope(digest, offset, bytes);
                        events += rs.getInt(3);
                        offset++;
                    }
                }
                if (offset != last + 1) {
                    return damaged("envelope " + offset + " of " + where + " is missing", commits, envelopes, events, firstOffset, expectedOffset);
                }
                byte[] hash = digest.digest();
                if (!Arrays.equals(hash, commit.getBytes(6))) {
                    return damaged(where + " (offsets " + first + ".." + last + ") was altered: its hash is "
                            + HexFormat.of().formatHex(hash) + ", stored " + HexFormat.of().formatHex(commit.getBytes(6)),
                            commits, envelopes, events, firstOffset, expectedOffset);
                }
                previous = hash;
                expectedCommit++;
                expectedOffset = last + 1;
                commits++;
                envelopes += count;
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM envelope WHERE log_offset < " + firstOffset)) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return damaged(rs.getLong(1) + " envelopes are stored before the chain's anchor, outside every commit",
                        commits, envelopes, events, firstOffset, expectedOffset);
            }
        }
        return new Result(true, commits, envelopes, events, firstOffset, expectedOffset - 1, "");
    }

    /** The columns the log indexes and reads by, which must say what the signed bytes say. */
    private record Row(String keyId, String agentId, long sequence, String kinds, int events) {}

    private String checkEnvelope(Row row, byte[] bytes) {
        Envelope envelope;
        EnvelopeBody body;
        try {
            envelope = Envelope.parseFrom(bytes);
            body = EnvelopeBody.parseFrom(envelope.getBody());
        } catch (InvalidProtocolBufferException e) {
            return "stored bytes are not an envelope";
        }
        if (!row.keyId().equals(envelope.getKeyId())) {
            return "stored key id " + row.keyId() + " differs from the envelope's " + envelope.getKeyId();
        }
        Optional<java.security.PublicKey> key = keys.apply(row.keyId());
        if (key.isEmpty()) {
            return "signed by key " + row.keyId() + ", which the trust store no longer knows";
        }
        if (!SignatureCheck.verify(envelope, key.get())) {
            return "signature does not verify under key " + row.keyId();
        }
        java.util.TreeSet<String> kinds = new java.util.TreeSet<>();
        body.getEventsList().forEach(e -> kinds.add(e.getKind()));
        String joined = String.join(",", kinds);
        if (!row.agentId().equals(body.getAgentId()) || row.sequence() != body.getSequence()
                || row.events() != body.getEventsCount() || !(row.kinds().equals(joined) || row.kinds().equals("*"))) {
            return "its stored agent, sequence, kinds or event count (" + row + ") differ from its signed body";
        }
        return null;
    }

    private static Result damaged(String problem, long commits, long envelopes, long events, long firstOffset, long nextOffset) {
        return new Result(false, commits, envelopes, events, firstOffset, nextOffset - 1, problem);
    }
}
