package io.amoskys.bus;

import io.amoskys.schema.v1.Ack;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Verifies one serialized {@code Envelope} and appends it to the write-ahead log. The future
 * completes with ACCEPTED (durable: it survives a kill -9), DUPLICATE (already in the log) or
 * REJECTED with the reason; it completes exceptionally only when the log itself failed, and then
 * nothing was stored and the sender should retry. Refused envelopes are counted and quarantined.
 * Thread-safe; verification runs on the caller's thread.
 */
@ProviderType
public interface Ingest {
    /**
     * @param envelope       the bytes of an {@code io.amoskys.schema.v1.Envelope}
     * @param peer           who sent it, for the quarantine record (a remote address, or "local")
     * @param certifiedAgent the agent id the transport authenticated (the client certificate's
     *                       common name), which the envelope's agent must equal; null when the
     *                       transport does not authenticate agents
     */
    CompletableFuture<Ack> ingest(byte[] envelope, String peer, String certifiedAgent);

    /** The most bytes one envelope may have; larger ones are refused as oversized. */
    int maxEnvelopeBytes();
}
