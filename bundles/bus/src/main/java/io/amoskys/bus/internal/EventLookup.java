package io.amoskys.bus.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.amoskys.api.bus.LoggedEvent;
import io.amoskys.schema.EventCodec;
import io.amoskys.schema.v1.Envelope;
import io.amoskys.schema.v1.EnvelopeBody;
import io.amoskys.schema.v1.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Finds a stored event by its id (agent and event sequence) through the envelopes' event-sequence
 * range: the candidates are the agent's envelopes whose range holds the sequence, lowest highest
 * sequence first (the index's order), decoded until one holds the event. Agents number events in
 * order, so that is nearly always the first candidate; more are read in case batches overlap.
 */
final class EventLookup {
    /** Envelopes whose range holds the sequence, decoded at most: bounded for an agent that numbers wildly. */
    static final int MAX_CANDIDATES = 16;

    private final WriteAheadLog log;
    private final EventCodec codec = new EventCodec();

    EventLookup(WriteAheadLog log) {
        this.log = log;
    }

    Optional<LoggedEvent> find(String agentId, long sequence) throws SQLException {
        try (Connection c = log.connect()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT log_offset, bytes FROM envelope "
                    + "WHERE agent_id = ? AND max_event_seq >= ? AND min_event_seq <= ? ORDER BY max_event_seq FETCH FIRST "
                    + MAX_CANDIDATES + " ROWS ONLY")) {
                ps.setString(1, agentId);
                ps.setLong(2, sequence);
                ps.setLong(3, sequence);
                Optional<LoggedEvent> found = Optional.empty();
                try (ResultSet rs = ps.executeQuery()) {
                    while (found.isEmpty() && rs.next()) {
                        found = decode(rs.getLong(1), agentId, rs.getBytes(2), sequence);
                    }
                }
                return found;
            } finally {
                c.rollback(); // read only: ends the transaction, so the connection closes whatever happened
            }
        }
    }

    private Optional<LoggedEvent> decode(long offset, String agentId, byte[] bytes, long sequence) {
        try {
            EnvelopeBody body = EnvelopeBody.parseFrom(Envelope.parseFrom(bytes).getBody());
            for (int i = 0; i < body.getEventsCount(); i++) {
                Event event = body.getEvents(i);
                if (event.getEventSequence() == sequence) {
                    return Optional.of(new LoggedEvent(offset, i, codec.decode(agentId, event)));
                }
            }
            return Optional.empty();
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            // Verified before it was stored: only a damaged log gets here (amoskys:verify says where).
            throw new IllegalStateException("the envelope at log offset " + offset + " cannot be read: " + e.getMessage(), e);
        }
    }
}
