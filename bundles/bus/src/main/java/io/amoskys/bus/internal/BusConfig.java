package io.amoskys.bus.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "AMOSKYS event bus",
        description = "Verification limits, the write-ahead log's group commit and retention, local publishing.")
public @interface BusConfig {
    @AttributeDefinition(description = "Folder of the Derby write-ahead log; empty: ${karaf.data}/amoskys/bus")
    String logDir() default "";

    @AttributeDefinition(description = "Folder of the trusted agent keys; empty: ${karaf.etc}/amoskys/bus")
    String trustDir() default "";

    @AttributeDefinition(description = "Largest envelope accepted, in bytes")
    int maxEnvelopeBytes() default 4 * 1024 * 1024;

    @AttributeDefinition(description = "Most events in one envelope")
    int maxEventsPerEnvelope() default 10_000;

    @AttributeDefinition(description = "Envelopes signed longer ago than this many seconds are refused as replays "
            + "(keep it above the longest time a remote agent may buffer)")
    long replayWindowSeconds() default 7 * 24 * 3600;

    @AttributeDefinition(description = "Envelopes signed this many seconds or more in the future are refused")
    long maxClockSkewSeconds() default 300;

    @AttributeDefinition(description = "Envelopes waiting for the log writer; publishers block when it is full")
    int queueCapacity() default 8192;

    @AttributeDefinition(description = "Most bytes of envelopes waiting for the log writer; publishers block past it")
    long queueMaxBytes() default 256L * 1024 * 1024;

    @AttributeDefinition(description = "Most envelopes in one group commit")
    int maxCommitEnvelopes() default 4096;

    @AttributeDefinition(description = "Envelopes are removed once older than this many hours")
    long retentionHours() default 7 * 24;

    @AttributeDefinition(description = "The oldest envelopes are removed while the log holds more bytes than this")
    long retentionMaxBytes() default 2L * 1024 * 1024 * 1024;

    @AttributeDefinition(description = "Refused envelopes kept for inspection; the oldest go first")
    int quarantineMaxRows() default 10_000;

    @AttributeDefinition(description = "In-container agents: most events in one signed envelope")
    int localBatchEvents() default 2048;

    @AttributeDefinition(description = "In-container agents: longest wait, in milliseconds, for a batch to fill")
    int localLingerMillis() default 20;

    @AttributeDefinition(description = "In-container agents: events buffered per agent before it is slowed down")
    int localBufferEvents() default 16_384;
}
