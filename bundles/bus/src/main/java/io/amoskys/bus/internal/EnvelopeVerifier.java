package io.amoskys.bus.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.amoskys.schema.EventCodec;
import io.amoskys.schema.RejectReason;
import io.amoskys.schema.SignatureCheck;
import io.amoskys.schema.v1.Envelope;
import io.amoskys.schema.v1.EnvelopeBody;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The checks an envelope passes before the bus stores it, cheapest first and the signature before
 * anything in the body is believed (docs/PROTOCOL.md, "Receiving").
 */
final class EnvelopeVerifier {
    private final TrustStore trust;
    private final Clock clock;
    private final int maxBytes;
    private final int maxEvents;
    private final long windowNanos;
    private final long skewNanos;

    EnvelopeVerifier(TrustStore trust, Clock clock, int maxBytes, int maxEvents, long windowSeconds, long skewSeconds) {
        this.trust = trust;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.maxEvents = maxEvents;
        this.windowNanos = windowSeconds * 1_000_000_000L;
        this.skewNanos = skewSeconds * 1_000_000_000L;
    }

    int maxBytes() {
        return maxBytes;
    }

    Verdict check(byte[] bytes, String certifiedAgent) {
        if (bytes.length > maxBytes) {
            return oversized(bytes.length);
        }
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return Verdict.refused(RejectReason.MALFORMED, "not an Envelope: " + e.getMessage(), "", 0, "");
        }
        BodyFacts body;
        try {
            body = BodyFacts.of(EnvelopeBody.parseFrom(envelope.getBody()));
        } catch (InvalidProtocolBufferException e) {
            body = null; // refused as malformed once the signature over it is checked
        }
        return check(envelope, body, certifiedAgent, true);
    }

    /**
     * An envelope this process has just built and signed with a key it holds (an in-container
     * agent's), with its parsed form: checking that signature again proves nothing and would cost
     * as much as signing, and the body need not be parsed back: its facts come from the events it
     * was written from ({@link BodyFacts#of(String, long, long, java.util.List)}). The key must still be enrolled and
     * valid, and every other check runs; the signature is stored and checked by
     * {@code amoskys:verify} like any other.
     */
    Verdict checkSignedHere(int length, Envelope envelope, BodyFacts body) {
        return length > maxBytes ? oversized(length) : check(envelope, body, null, false);
    }

    private Verdict oversized(int length) {
        return Verdict.refused(RejectReason.OVERSIZED, length + " bytes, more than the " + maxBytes + " accepted", "", 0, "");
    }

    /** @param body what the envelope's body says, or null when it does not parse */
    private Verdict check(Envelope envelope, BodyFacts body, String certifiedAgent, boolean verifySignature) {
        String keyId = envelope.getKeyId();
        // Until the signature verifies, the body's agent and sequence are only claims: they go
        // into the answer (so the sender can match it) and the quarantine record, nowhere else.
        Claim claim = body == null ? new Claim("", 0) : new Claim(body.agentId(), body.sequence());
        if (keyId.isEmpty() || envelope.getSignature().isEmpty()) {
            return Verdict.refused(RejectReason.UNSIGNED, keyId.isEmpty() ? "no key id" : "no signature", claim.agent, claim.sequence, keyId);
        }
        Instant now = clock.instant();
        Optional<TrustedKey> key = trust.find(keyId);
        if (key.isEmpty()) {
            return Verdict.refused(RejectReason.UNKNOWN_KEY, "key " + keyId + " is not enrolled", claim.agent, claim.sequence, keyId);
        }
        if (!key.get().validAt(now)) {
            return Verdict.refused(RejectReason.REVOKED_KEY, "key " + keyId + " of agent " + key.get().agentId()
                    + " is " + key.get().state(now), claim.agent, claim.sequence, keyId);
        }
        if (!SignatureCheck.knowsVersion(envelope)) {
            return Verdict.refused(RejectReason.UNSUPPORTED_SCHEMA, "signature version " + envelope.getSignatureVersion()
                    + "; this bus verifies versions 1 and 2", claim.agent, claim.sequence, keyId);
        }
        if (verifySignature && !SignatureCheck.verify(envelope, key.get().publicKey())) {
            return Verdict.refused(RejectReason.FORGED_SIGNATURE, "the signature does not match the body under key " + keyId,
                    claim.agent, claim.sequence, keyId);
        }
        if (body == null) {
            return Verdict.refused(RejectReason.MALFORMED, "signed body is not an EnvelopeBody: " + bodyProblem(envelope),
                    key.get().agentId(), 0, keyId);
        }
        String agent = body.agentId();
        long sequence = body.sequence();
        if (body.schemaVersion() != EventCodec.SCHEMA_VERSION) {
            return Verdict.refused(RejectReason.UNSUPPORTED_SCHEMA, "schema version " + body.schemaVersion()
                    + "; this bus reads " + EventCodec.SCHEMA_VERSION, agent, sequence, keyId);
        }
        if (!agent.equals(key.get().agentId())) {
            return Verdict.refused(RejectReason.AGENT_MISMATCH, "envelope says agent '" + agent + "' but key " + keyId
                    + " is enrolled for '" + key.get().agentId() + "'", agent, sequence, keyId);
        }
        if (certifiedAgent != null && !agent.equals(certifiedAgent)) {
            return Verdict.refused(RejectReason.AGENT_MISMATCH, "envelope says agent '" + agent
                    + "' but the client certificate is for '" + certifiedAgent + "'", agent, sequence, keyId);
        }
        if (sequence < 1) {
            return Verdict.refused(RejectReason.MALFORMED, "sequence must start at 1", agent, sequence, keyId);
        }
        if (body.eventCount() == 0) {
            return Verdict.refused(RejectReason.EMPTY, "the envelope holds no events", agent, sequence, keyId);
        }
        if (body.eventCount() > maxEvents) {
            return Verdict.refused(RejectReason.OVERSIZED, body.eventCount() + " events, more than the "
                    + maxEvents + " accepted", agent, sequence, keyId);
        }
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long age = nowNanos - body.timestampNanos();
        if (age > windowNanos || -age >= skewNanos) {
            return Verdict.refused(RejectReason.REPLAYED, "signed at " + Instant.ofEpochSecond(0, body.timestampNanos())
                    + ", outside the accepted window", agent, sequence, keyId);
        }
        BodyFacts.Events events = body.events();
        if (events.problem() != null) {
            // Checked here, not when read: a stored envelope must be readable by every consumer.
            return Verdict.refused(RejectReason.MALFORMED, events.problem(), agent, sequence, keyId);
        }
        return new Verdict(null, "", agent, sequence, keyId, events.kinds(), body.eventCount(), body.timestampNanos(),
                events.minEventSequence(), events.maxEventSequence());
    }

    /** Why a body does not parse (asked again only for a refusal, so the good path parses once). */
    private static String bodyProblem(Envelope envelope) {
        try {
            EnvelopeBody.parseFrom(envelope.getBody());
            return "unreadable";
        } catch (InvalidProtocolBufferException e) {
            return e.getMessage();
        }
    }

    /** What an unverified body says about itself. */
    private record Claim(String agent, long sequence) {}
}
