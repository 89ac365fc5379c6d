package io.amoskys.bus.internal;

import io.amoskys.schema.RejectReason;
import io.amoskys.schema.v1.Ack;

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

    /** The answer to a refused envelope: REJECTED with the reason's code and the sentence for its sender. */
    Ack rejection() {
        return Ack.newBuilder()
                .setAgentId(agentId)
                .setSequence(sequence)
                .setStatus(Ack.Status.REJECTED)
                .setReason(reason.code())
                .setDetail(detail)
                .build();
    }
}
