package io.amoskys.bus.internal;

import io.amoskys.schema.RejectReason;

/**
 * What verification made of an envelope: accepted with the header fields the log indexes (among
 * them the lowest and highest event sequence it holds, to find an event by id), or refused with a
 * reason and a sentence for the sender.
 */
record Verdict(RejectReason reason, String detail, String agentId, long sequence, String keyId,
               String kinds, int events, long signedNanos, long minEventSequence, long maxEventSequence) {

    static Verdict refused(RejectReason reason, String detail, String agentId, long sequence, String keyId) {
        return new Verdict(reason, detail, agentId, sequence, keyId, "", 0, 0, 0, 0);
    }

    boolean accepted() {
        return reason == null;
    }
}
