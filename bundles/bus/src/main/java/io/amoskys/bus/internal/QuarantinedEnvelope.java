package io.amoskys.bus.internal;

import java.time.Instant;

/** One row of the quarantine table, without the stored bytes. */
public record QuarantinedEnvelope(long id, Instant received, String reason, String detail, String peer,
                                  String agentId, String keyId, int size) {}
