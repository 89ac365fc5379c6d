package io.amoskys.bus.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.amoskys.api.bus.Cursor;
import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.schema.EventCodec;
import io.amoskys.schema.v1.Envelope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads envelopes after a position, whole envelopes at a time, and decodes the events of the
 * wanted kinds. Envelopes that hold none of them are skipped by their {@code kinds} column
 * without being parsed.
 */
final class LogCursor implements Cursor {
    private static final Logger LOG = LoggerFactory.getLogger(LogCursor.class);

    private final WriteAheadLog log;
    private final String consumer; // null for a range cursor
    private final long last;
    private final Set<String> kinds;
    private final EventCodec codec = new EventCodec();
    private final Connection connection;
    private final PreparedStatement select;
    private long position;

    LogCursor(WriteAheadLog log, String consumer, long after, long last, Set<String> kinds) throws SQLException {
        this.log = log;
        this.consumer = consumer;
        this.position = after;
        this.last = last;
        this.kinds = Set.copyOf(kinds);
        this.connection = log.connect();
        this.select = connection.prepareStatement("SELECT log_offset, agent_id, kinds, bytes FROM envelope "
                + "WHERE log_offset > ? AND log_offset <= ? ORDER BY log_offset FETCH FIRST ? ROWS ONLY");
    }

    @Override
    public List<LoggedEvent> poll(int maxEvents, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<LoggedEvent> out = new ArrayList<>();
        while (!exhausted()) {
            long before = position;
            read(Math.max(1, maxEvents), out);
            if (!out.isEmpty()) {
                break;
            }
            if (position != before) {
                continue; // a page of other kinds only: read on before deciding there is nothing
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            log.awaitAfter(position, left);
            if (log.nextOffset() <= position + 1) {
                break; // timed out (or closing) with nothing new
            }
        }
        return out;
    }

    private void read(int maxEvents, List<LoggedEvent> out) {
        try {
            select.setLong(1, position);
            select.setLong(2, last);
            select.setInt(3, maxEvents);
            try (ResultSet rs = select.executeQuery()) {
                while (out.size() < maxEvents && rs.next()) {
                    long offset = rs.getLong(1);
                    if (wanted(rs.getString(3))) {
                        decode(offset, rs.getString(2), rs.getBytes(4), out);
                    }
                    position = offset;
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("reading the write-ahead log after offset " + position + " failed", e);
        }
    }

    private boolean wanted(String envelopeKinds) {
        if (kinds.isEmpty() || "*".equals(envelopeKinds)) {
            return true;
        }
        for (String kind : envelopeKinds.split(",")) {
            if (kinds.contains(kind)) {
                return true;
            }
        }
        return false;
    }

    private void decode(long offset, String agentId, byte[] bytes, List<LoggedEvent> out) {
        try {
            codec.decodeEvents(agentId, Envelope.parseFrom(bytes).getBody(), kinds,
                    (index, event) -> out.add(new LoggedEvent(offset, index, event)));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            // Verified before it was stored, so only a damaged log gets here: amoskys:verify says where.
            LOG.error("Envelope at offset {} in the log cannot be read ({}); it is skipped", offset, e.getMessage());
        }
    }

    @Override
    public void commit(long offset) {
        if (consumer == null) {
            return;
        }
        try {
            log.commitConsumer(consumer, offset);
        } catch (SQLException e) {
            throw new IllegalStateException("committing offset " + offset + " for consumer " + consumer + " failed", e);
        }
    }

    @Override
    public boolean exhausted() {
        return position >= last;
    }

    @Override
    public void close() {
        try {
            select.close();
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing a log cursor failed", e);
        }
    }
}
